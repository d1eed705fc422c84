# Fixture for build.fetch-pipe-to-shell (provscan's own).
deps:
# ruleid: build.fetch-pipe-to-shell
	curl -fsSL https://get.example.invalid/install.sh | sudo -E bash -s -- --prefix=$(PREFIX)
# ruleid: build.fetch-pipe-to-shell
	bash <(wget -qO- https://example.invalid/setup)
# ruleid: build.fetch-pipe-to-shell
	curl -sLo tool.sh https://example.invalid/tool.sh && \
	  sh tool.sh --install
# ok: build.fetch-pipe-to-shell
	curl -fsSLo cmake.tar.gz https://example.invalid/cmake.tar.gz && sha256sum -c cmake.sha256 && tar xzf cmake.tar.gz
# ok: build.fetch-pipe-to-shell
	VERSION=$$(curl -s https://api.example.invalid/latest | jq -r .tag)
