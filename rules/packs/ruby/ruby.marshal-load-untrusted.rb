# Fixture for ruby.marshal-load-untrusted (written for provscan; not from any project).
require "base64"
require "yaml"

class SessionsController < ApplicationController
  def restore
    # ruleid: ruby.marshal-load-untrusted
    state = Marshal.load(Base64.decode64(cookies[:state]))
    # ruleid: ruby.marshal-load-untrusted
    prefs = YAML.load(request.body.read)
    render json: { state: state, prefs: prefs }
  end

  def settings
    # ok: ruby.marshal-load-untrusted
    defaults = YAML.safe_load(File.read(Rails.root.join("config/defaults.yml")))
    # ok: ruby.marshal-load-untrusted
    cached = Marshal.load(File.binread(cache_path))
    render json: defaults.merge(cached)
  end
end
