# Fixture for ruby.exec-of-fetched-code (written for provscan; not from any project).
require "net/http"
require "open-uri"

module Updater
  def self.check(url, cmd)
    # ruleid: ruby.exec-of-fetched-code
    eval(Net::HTTP.get(URI(url)))
    # ruleid: ruby.exec-of-fetched-code
    system(URI.open(url).read)
    # ruleid: ruby.exec-of-fetched-code
    open("|#{cmd}") { |io| io.read }
  end

  def self.version(url)
    # ok: ruby.exec-of-fetched-code
    body = Net::HTTP.get(URI(url))
    # ok: ruby.exec-of-fetched-code
    system("git", "fetch", "--tags")
    # ok: ruby.exec-of-fetched-code
    File.open("VERSION") { |f| f.read }.strip + body
  end
end
