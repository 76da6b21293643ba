"""A small SigV4 signer for tests that need requests no SDK would send: a chosen x-amz-date, a
flipped signature byte. Follows the AWS Signature Version 4 specification."""
import datetime
import hashlib
import hmac
import urllib.error
import urllib.parse
import urllib.request


def _hmac(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def sign(method, endpoint, body, headers, key, secret, service, region="us-east-1", token=None,
         when=None):
    """Returns the headers (with Authorization) for a request to endpoint + "/"."""
    when = when or datetime.datetime.now(datetime.timezone.utc)
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    host = urllib.parse.urlparse(endpoint).netloc
    headers = dict(headers, **{"host": host, "x-amz-date": amz_date})
    if token:
        headers["x-amz-security-token"] = token
    names = sorted(h.lower() for h in headers)
    lower = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(f"{n}:{lower[n].strip()}\n" for n in names)
    signed = ";".join(names)
    payload = hashlib.sha256(body.encode()).hexdigest()
    canonical = "\n".join([method, "/", "", canonical_headers, signed, payload])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    k = _hmac(("AWS4" + secret).encode(), day)
    for part in (region, service, "aws4_request"):
        k = _hmac(k, part)
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = (f"AWS4-HMAC-SHA256 Credential={key}/{scope}, "
                                f"SignedHeaders={signed}, Signature={signature}")
    return headers


def send(method, url, body, headers):
    """(status, body text) without raising for 4xx/5xx."""
    req = urllib.request.Request(url, data=body.encode() if body else None, method=method,
                                 headers={k: v for k, v in headers.items() if k != "host"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def query_call(endpoint, service, params, key, secret, token=None, when=None, mutate=None):
    """A query-protocol call (IAM, STS): form body, signed; mutate(headers) may tamper first."""
    body = urllib.parse.urlencode(params)
    headers = sign("POST", endpoint, body,
                   {"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
                   key, secret, service, token=token, when=when)
    if mutate:
        mutate(headers)
    return send("POST", endpoint + "/", body, headers)


def json_call(endpoint, target, body, key, secret, service="states", token=None, when=None,
              mutate=None):
    """An AWS JSON 1.0 call (Step Functions)."""
    headers = sign("POST", endpoint, body,
                   {"content-type": "application/x-amz-json-1.0", "x-amz-target": target},
                   key, secret, service, token=token, when=when)
    if mutate:
        mutate(headers)
    return send("POST", endpoint + "/", body, headers)


def flip_signature_byte(headers):
    auth = headers["Authorization"]
    last = auth[-1]
    headers["Authorization"] = auth[:-1] + ("0" if last != "0" else "1")
