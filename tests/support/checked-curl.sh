# Sourced before each README shell block (tests/docs/readme.test.ts): `curl` checks the status it got,
# 2xx or the one `Prefer: code=` asks for, and fails the block otherwise, printing the answer.
curl() {
  local expected=2 arg
  for arg in "$@"; do
    case "$arg" in *"Prefer: code="*) expected="${arg#*Prefer: code=}"; expected="${expected%%[!0-9]*}" ;; esac
  done
  local out status
  out="$(command curl -sS -w '\n%{http_code}' "$@")" || return $?
  status="${out##*$'\n'}"
  printf '%s\n' "${out%$'\n'*}"
  case "$status" in
    "$expected"*) ;;
    *) echo "curl answered HTTP $status, not ${expected}xx: curl $*" >&2; return 22 ;;
  esac
}
