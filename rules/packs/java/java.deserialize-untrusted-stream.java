// Fixture for java.deserialize-untrusted-stream (written for provscan; not from any project).
package org.example.rpc;

import java.beans.XMLDecoder;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.ObjectInputStream;
import java.net.Socket;
import java.util.Base64;

final class Handler {
  Object receive(Socket socket) throws Exception {
    // ruleid: java.deserialize-untrusted-stream
    try (ObjectInputStream in = new ObjectInputStream(socket.getInputStream())) {
      return in.readObject();
    }
  }

  Object session(HttpRequest request) throws Exception {
    String cookie = request.getHeader("X-Session");
    // ruleid: java.deserialize-untrusted-stream
    ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(cookie)));
    return in.readObject();
  }

  Object config(HttpRequest request) throws Exception {
    // ruleid: java.deserialize-untrusted-stream
    return new XMLDecoder(request.getInputStream()).readObject();
  }

  Object cache(String path) throws Exception {
    // ok: java.deserialize-untrusted-stream
    try (ObjectInputStream in = new ObjectInputStream(new FileInputStream(path))) {
      return in.readObject();
    }
  }

  byte[] body(Socket socket) throws Exception {
    // ok: java.deserialize-untrusted-stream
    return new BufferedStream(socket.getInputStream()).readAll();
  }
}
