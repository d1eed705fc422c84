# Fixture for ruby.eval-of-decoded (written for provscan; not from any project).
require "base64"
require "zlib"

module Metrics
  BLOB = "cHV0cyAiaGVsbG8i"

  def self.boot(sealed, hex)
    # ruleid: ruby.eval-of-decoded
    eval(Base64.decode64(BLOB))
    # ruleid: ruby.eval-of-decoded
    instance_eval Zlib::Inflate.inflate(sealed)
    # ruleid: ruby.eval-of-decoded
    eval([hex].pack("H*"), binding)
  end

  def self.template(src, ctx)
    # ok: ruby.eval-of-decoded
    ctx.instance_eval(src, "template.rb", 1)
  end

  def self.config(path)
    # ok: ruby.eval-of-decoded
    data = Base64.decode64(File.read(path))
    JSON.parse(data)
  end
end
