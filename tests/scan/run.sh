#!/usr/bin/env bash
# tests/scan/run.sh - the outside-in scans of ../shared/guide/security.md against the real portal
# over TLS and a throwaway PostgreSQL (pg_virtualenv) seeded with the demo data:
#   - testssl.sh: protocols, ciphers, forward secrecy, the known TLS vulnerabilities (Heartbleed,
#     ROBOT, CRIME, BREACH, POODLE, SWEET32, ...) and the HTTP security headers. Any finding of
#     severity LOW or worse fails, except what a test certificate must show (self-signed, no
#     revocation, no CAA record: the deployment's certificate is not tested here).
#   - sqlmap (PostgreSQL, level 2, risk 2): every parameter of the public search, API and
#     directory, the ids in their paths, and the signed-in lists with filters and a sort (HR's
#     users and audit log, a school's dashboard and applications) and six forms (a school's new
#     vacancy, HR's invitation, a visitor's job alert, a candidate's personal details, statement
#     and equal opportunities answers). Fails when sqlmap finds an injection, when its
#     heuristics see a payload reflected unescaped (XSS) or a file included, when any request
#     got a 500, when a scan did not finish, or when the portal logged an error meanwhile.
# Called by `make scan` (part of `make test`) from the repository root with PORTAL_BIN set.
# SCAN_ONLY=REGEX runs only the scans whose address (or "testssl") matches, while working on one.
set -euo pipefail

cd "$(dirname "$0")/../.."
: "${PORTAL_BIN:?set PORTAL_BIN to the portal binary, e.g. PORTAL_BIN=build/portal}"

if [ "${1:-}" != "--inside" ]; then
	exec pg_virtualenv -t bash "$0" --inside
fi

py=/usr/bin/python3
tmp=$(mktemp -d)
server_pid=
cleanup() {
	if [ -n "$server_pid" ]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

bash backend/setup/tls.sh "$tmp/cert.pem" "$tmp/key.pem" >/dev/null

export DATABASE_URL=postgresql://
"$PORTAL_BIN" migrate >/dev/null
"$PORTAL_BIN" seed --demo >/dev/null

# A published vacancy with applications, its school, and an HR officer, a hiring manager of
# that school and a candidate to sign in as.
read -r vacancy urn < <(psql -AtF ' ' -c "SELECT v.id, vs.school_urn FROM vacancies v
	JOIN vacancy_schools vs ON vs.vacancy_id = v.id JOIN applications a ON a.vacancy_id = v.id
	WHERE v.status = 'published' GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1")
if [ -z "${vacancy:-}" ]; then
	echo "scan: the demo data has no published vacancy with applications" >&2
	exit 1
fi
password="scan-$(openssl rand -hex 12)"
printf '%s\n' "$password" >"$tmp/password"
"$PORTAL_BIN" user add --email scan-hr@example.org --role hr --name "Scan HR" \
	--password-file "$tmp/password" >/dev/null
"$PORTAL_BIN" user add --email scan-candidate@example.org --role candidate --name "Scan Candidate" \
	--password-file "$tmp/password" >/dev/null
"$PORTAL_BIN" user add --email scan-school@example.org --role school_staff --name "Scan School" \
	--school "$urn" --school-role hiring_manager --password-file "$tmp/password" >/dev/null

port=$($py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
base="https://127.0.0.1:$port"
PORTAL_LISTEN="127.0.0.1:$port" PORTAL_TLS_CERT="$tmp/cert.pem" PORTAL_TLS_KEY="$tmp/key.pem" \
	PORTAL_BASE_URL="$base" "$PORTAL_BIN" serve >"$tmp/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
	curl -skf -o /dev/null "$base/readyz" && break
	kill -0 "$server_pid" 2>/dev/null || break
	sleep 0.1
done
if ! curl -skf -o /dev/null "$base/readyz"; then
	echo "scan: the portal did not become ready; its log:" >&2
	tail -n 50 "$tmp/server.log" >&2
	exit 1
fi

failed=()

# --- TLS and headers ---------------------------------------------------------------------
only=${SCAN_ONLY:-.}
# Runs testssl.sh and checks what it found.
testssl_scan() {
	local findings
	testssl --quiet --color 0 --warnings batch --protocols --std --fs --vulnerable \
		--server-defaults --server-preference --headers --jsonfile "$tmp/testssl.json" \
		"127.0.0.1:$port" >"$tmp/testssl.log" 2>&1 || true
	if ! findings=$($py - "$tmp/testssl.json" <<'PY'
import json, sys
# What a throwaway self-signed certificate must show; the rest is the server's.
expected = {"cert_chain_of_trust", "cert_revocation", "DNS_CAArecord", "cert_trust",
            "cert_caIssuers", "cert_ocspURL", "cert_crlDistributionPoints", "OCSP_stapling",
            "cert_subjectAltName", "cert_commonName"}
bad = ("LOW", "MEDIUM", "HIGH", "CRITICAL")
try:
    results = json.load(open(sys.argv[1]))
except (OSError, ValueError) as e:
    print(f"no results: {e}")
    sys.exit(1)
for f in results:
    if f["severity"] in bad and f["id"] not in expected:
        print(f'{f["id"]} {f["severity"]}: {f["finding"]}')
        sys.exit(1)
# The scan really ran, and says what we promise: TLS 1.2 and 1.3 only, AEAD ciphers with forward
# secrecy, HSTS, a CSP, a Date (clock skew measured), no compression of pages (BREACH).
found = {f["id"]: f["finding"] for f in results}
promises = {"SSLv2": "not offered", "SSLv3": "not offered", "TLS1": "not offered",
            "TLS1_1": "not offered", "TLS1_2": "offered", "TLS1_3": "offered",
            "cipherlist_AVERAGE": "not offered", "cipherlist_3DES_IDEA": "not offered",
            "PFS": "offered", "heartbleed": "not vulnerable", "ROBOT": "not vulnerable",
            "BREACH": "not vulnerable", "HSTS_time": "365 days",
            "Content-Security-Policy": "default-src 'self'"}
if "seconds from localtime" not in found.get("HTTP_clock_skew", ""):
    print(f'HTTP_clock_skew: {found.get("HTTP_clock_skew")!r} (no Date header?)')
    sys.exit(1)
for k, want in promises.items():
    if not found.get(k, "").startswith(want):
        print(f"{k}: {found.get(k, 'missing from the scan')!r}, want {want!r}")
        sys.exit(1)
print(f"{len(results)} findings, none worse than INFO but the test certificate's")
PY
	); then
		echo "scan testssl.sh: FAILED: $findings"
		tail -n 40 "$tmp/testssl.log"
		failed+=(testssl)
	else
		echo "scan testssl.sh: ok ($findings)"
	fi
}
if [[ testssl =~ $only ]]; then
	testssl_scan
fi

# --- SQL injection -----------------------------------------------------------------------
# The csrf_token of the form on page $2 for cookie header $1 (signed in, or a visitor's CSRF
# cookie). Fails unless the page answers 200 (so a scan never runs against the sign-in page).
token_of() {
	local page
	page=$(curl -sk -H "Cookie: $1" -w '\n%{http_code}' "$base$2")
	if [ "${page##*$'\n'}" != 200 ]; then
		echo "scan: $2 answered ${page##*$'\n'}" >&2
		return 1
	fi
	sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' <<<"$page" | head -n 1
}

# The CSRF cookie a visitor is given on page $1, as a cookie header value.
visitor_of() {
	local jar=$tmp/jar-$RANDOM
	curl -sk -c "$jar" -o /dev/null "$base$1"
	awk '$6 == "__Host-csrf" { printf "%s=%s", $6, $7 }' "$jar"
}

# Signs in as $1 and prints the session cookie header value.
session_of() {
	local jar=$tmp/jar-$1 cookie token status
	cookie=$(visitor_of /account/login)
	token=$(token_of "$cookie" /account/login)
	status=$(curl -sk -H "Cookie: $cookie" -c "$jar" -o /dev/null -w '%{http_code}' \
		"$base/account/login" --data-urlencode "email=$1" \
		--data-urlencode "password=$password" --data-urlencode "csrf_token=$token")
	if [ "$status" != 303 ]; then
		echo "scan: signing in as $1 answered $status" >&2
		return 1
	fi
	awk '$6 == "__Host-session" { printf "%s=%s", $6, $7 }' "$jar"
}
hr=$(session_of scan-hr@example.org)
school=$(session_of scan-school@example.org)
candidate=$(session_of scan-candidate@example.org)
hr_token=$(token_of "$hr" /hr/users)
school_token=$(token_of "$school" /school/vacancies/new)
visitor=$(visitor_of "/job-alerts/new?q=maths")
visitor_token=$(token_of "$visitor" "/job-alerts/new?q=maths")
# The candidate starts an application to the vacancy.
candidate_token=$(token_of "$candidate" "/vacancies/$vacancy/apply")
application=$(curl -sk -o /dev/null -w '%{redirect_url}' -H "Cookie: $candidate" \
	--data "csrf_token=$candidate_token" "$base/vacancies/$vacancy/apply")
application=${application#"$base"}
case $application in
/account/applications/[0-9]*) ;;
*)
	echo "scan: starting an application went to \"$application\"" >&2
	exit 1
	;;
esac

# Scans one address (a * marks an id in its path) with an optional cookie and, for a POST, the
# form's fields (its csrf_token is left alone, as are the cookies).
sqlmap_scan() {
	local url=$1 cookie=${2:-} data=${3:-} log=$tmp/sqlmap-$RANDOM.log args=() status
	[[ $url =~ $only ]] || return 0
	if [ -n "$cookie" ]; then
		args+=(--cookie "$cookie")
	fi
	if [ -n "$data" ]; then
		args+=(--data "$data" --skip "csrf_token,__Host-session,__Host-csrf")
		# the form reaches its handler as given: not refused by the CSRF check (403),
		# nor sent to sign in; it may be saved (303), answered (200) or shown with its
		# errors (422)
		status=$(curl -sk -o /dev/null -w '%{http_code} %{redirect_url}' \
			-H "Cookie: $cookie" --data "$data" "$base$url")
		if [[ ! $status =~ ^(200|422|303)\  || $status == "303 $base/account/login"* ]]
		then
			echo "scan sqlmap POST $url: FAILED: the form as given answered $status"
			failed+=("sqlmap $url")
			return
		fi
	elif [ -n "$cookie" ]; then
		args+=(--skip "__Host-session,__Host-csrf")
	fi
	sqlmap --batch --disable-coloring --dbms=PostgreSQL --level 2 --risk 2 \
		--output-dir "$tmp/sqlmap" --flush-session "${args[@]}" -u "$base$url" \
		>"$log" 2>&1 || true
	if grep -qE 'identified the following injection point|is vulnerable' "$log"; then
		echo "scan sqlmap $url: FAILED: injectable"
		grep -A12 'identified the following injection point' "$log" | head -n 20
		failed+=("sqlmap $url")
	elif grep -qE 'might be vulnerable to (cross-site scripting|file inclusion)' "$log"; then
		echo "scan sqlmap $url: FAILED: its payload came back unescaped (XSS) or as a file"
		grep -E 'might be vulnerable to' "$log"
		failed+=("sqlmap $url")
	elif grep -q '500 (Internal Server Error)' "$log"; then
		echo "scan sqlmap $url: FAILED: the portal answered 500"
		grep -E '500 \(Internal' "$log"
		failed+=("sqlmap $url")
	elif ! grep -q 'do not appear to be injectable' "$log"; then
		echo "scan sqlmap $url: FAILED: the scan did not finish"
		tail -n 20 "$log"
		failed+=("sqlmap $url")
	else
		echo "scan sqlmap ${data:+POST }$url: ok ($(grep -c "testing '" "$log") tests)"
	fi
}

public="q=maths&phase=secondary&role=teacher&subject=mathematics&school=$urn&town=Grays"
sqlmap_scan "/vacancies?$public&sort=newest&page=1"
sqlmap_scan "/api/v1/vacancies?q=teacher&contract=permanent&working_pattern=full_time&key_stage=ks3\
&ect_suitable=true&sort=closing&page=1"
sqlmap_scan "/vacancies/$vacancy*"
sqlmap_scan "/api/v1/vacancies/$vacancy*"
sqlmap_scan "/vacancies.atom?q=teacher&phase=primary"
sqlmap_scan "/schools?phase=primary&town=Grays"
sqlmap_scan "/schools/$urn*"
sqlmap_scan "/hr/users?q=scan&role=hr&status=active&sort=created&page=1" "$hr"
sqlmap_scan "/hr/audit?action=login.success&actor=scan-hr%40example.org&from=2026-01-01\
&to=2030-01-01&page=1" "$hr"
sqlmap_scan "/school?tab=live&school=$urn&page=1" "$school"
sqlmap_scan "/school/vacancies/$vacancy/applications?status=submitted&page=1" "$school"
sqlmap_scan /school/vacancies/new "$school" "csrf_token=$school_token&school=$urn\
&title=Teacher+of+maths&role=teacher&phase=secondary&key_stage=ks3&subject=mathematics\
&ect_suitable=true"
sqlmap_scan /hr/users/invite "$hr" "csrf_token=$hr_token&name=Scan+Invitee\
&email=invitee%40example.org&role=hr"
app=$application
sqlmap_scan "$app*" "$candidate"
sqlmap_scan "$app/personal" "$candidate" "csrf_token=$candidate_token&first_name=Sam\
&last_name=Scan&address_line1=1+High+Street&town=Grays&postcode=RM17+6AB&phone=01375+652000\
&email=scan-candidate%40example.org&ni_number=&right_to_work=yes"
sqlmap_scan "$app/statement" "$candidate" "csrf_token=$candidate_token\
&statement=I+teach+maths+with+care."
sqlmap_scan "$app/equal_opps" "$candidate" "csrf_token=$candidate_token&disability=no\
&age_band=30_39&sex=female&sexual_orientation=prefer_not_to_say&ethnicity=prefer_not_to_say\
&religion=prefer_not_to_say"
sqlmap_scan /job-alerts "$visitor" "csrf_token=$visitor_token&email=alerts%40example.org\
&frequency=daily&q=maths&phase=secondary"

if grep -qE '"level":"error"|AddressSanitizer|runtime error' "$tmp/server.log"; then
	echo "scan: the portal logged errors during the scans:"
	grep -E '"level":"error"|AddressSanitizer|runtime error' "$tmp/server.log" | head -n 20
	failed+=("server log")
fi
if [ ${#failed[@]} -gt 0 ]; then
	echo "scan: ${#failed[@]} failed"
	exit 1
fi
echo "scan: TLS, headers and SQL injection: no finding"
