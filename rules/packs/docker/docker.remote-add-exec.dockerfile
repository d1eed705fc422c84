# Fixture for docker.remote-add-exec (provscan's own).
FROM debian:12
# ruleid: docker.remote-add-exec
ADD https://get.example.invalid/install.sh /opt/install.sh
RUN chmod +x /opt/install.sh && /opt/install.sh --yes
# ok: docker.remote-add-exec
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://get.example.invalid/tool.sh /opt/tool.sh
RUN sh /opt/tool.sh
# ok: docker.remote-add-exec
ADD https://example.invalid/LICENSE.txt /usr/share/doc/app/
RUN ls /usr/share/doc/app
