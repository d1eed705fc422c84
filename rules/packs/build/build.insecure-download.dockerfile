# Fixture for build.insecure-download (provscan's own).
FROM debian:12
# ruleid: build.insecure-download
RUN curl -fsSLk https://downloads.example.invalid/sdk.tar.gz -o /tmp/sdk.tar.gz
# ruleid: build.insecure-download
RUN wget --no-check-certificate -O /tmp/tool.deb https://example.invalid/tool.deb
# ruleid: build.insecure-download
RUN pip install --trusted-host pypi.example.invalid -i http://pypi.example.invalid/simple internal-lib
# ok: build.insecure-download
RUN curl -fsSL https://downloads.example.invalid/sdk.tar.gz -o /tmp/sdk.tar.gz
# ok: build.insecure-download
RUN curl -fsSL -H "Accept: application/json" https://api.example.invalid/keys
