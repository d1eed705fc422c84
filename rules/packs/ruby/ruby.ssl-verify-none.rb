# Fixture for ruby.ssl-verify-none (written for provscan; not from any project).
require "net/http"
require "openssl"

module Client
  def self.fetch(uri, strict)
    http = Net::HTTP.new(uri.host, uri.port)
    http.use_ssl = true
    # ruleid: ruby.ssl-verify-none
    http.verify_mode = OpenSSL::SSL::VERIFY_NONE
    # ok: ruby.ssl-verify-none
    http.verify_mode = OpenSSL::SSL::VERIFY_PEER if strict
    # ok: ruby.ssl-verify-none
    warn "TLS verification is off" if http.verify_mode == OpenSSL::SSL::VERIFY_NONE
    http.get(uri.request_uri)
  end

  def self.start(host)
    # ruleid: ruby.ssl-verify-none
    Net::HTTP.start(host, 443, use_ssl: true, verify_mode: OpenSSL::SSL::VERIFY_NONE) { |h| h.head("/") }
  end

  def self.conn(url)
    # ruleid: ruby.ssl-verify-none
    Faraday.new(url, ssl: { verify: false })
  end

  def self.quiet(url)
    # ok: ruby.ssl-verify-none
    Faraday.new(url, request: { open_timeout: 2 }, ssl: { verify: true })
  end
end
