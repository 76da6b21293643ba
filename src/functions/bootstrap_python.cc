#include "functions/bootstraps.h"

namespace signoff::functions {

// Why a botocore hook: boto3 older than 1.28 (Debian's 1.26) ignores AWS_ENDPOINT_URL, and
// functions must reach Signoff without code changes. The hook patches botocore.session when it
// is first imported (so functions not using boto3 pay nothing) and only on old versions.
const std::string_view kPythonBootstrap = R"PY(
import http.client, importlib, importlib.abc, importlib.machinery, json, os, sys, time, traceback

_API = os.environ["AWS_LAMBDA_RUNTIME_API"]
_BASE = "/2018-06-01/runtime"


def _patch_botocore_session(module):
    url = os.environ.get("AWS_ENDPOINT_URL")
    try:
        import botocore
        version = tuple(int(p) for p in botocore.__version__.split(".")[:2])
    except Exception:
        return
    if not url or version >= (1, 31):
        return
    original = module.Session.create_client

    def create_client(self, service_name, *args, **kwargs):
        if len(args) < 5 and kwargs.get("endpoint_url") is None:
            kwargs["endpoint_url"] = url
        return original(self, service_name, *args, **kwargs)

    module.Session.create_client = create_client


class _EndpointHook(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "botocore.session":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def patched(module):
            exec_module(module)
            _patch_botocore_session(module)

        spec.loader.exec_module = patched
        return spec


class _Client:
    def __init__(self):
        host, _, port = _API.rpartition(":")
        self.host, self.port = host, int(port)
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port)
                self.conn.request(method, _BASE + path, body=body, headers=headers or {})
                r = self.conn.getresponse()
                return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise


class Context:
    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id", "")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn", "")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def _error(exc, error_type=None, drop_frames=0):
    tb = traceback.extract_tb(exc.__traceback__)[drop_frames:]
    return {"errorMessage": str(exc), "errorType": error_type or type(exc).__name__,
            "requestId": "", "stackTrace": traceback.format_list(tb)}


def _log_error(err):
    lines = ["[ERROR] %s: %s" % (err["errorType"], err["errorMessage"])]
    if err["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(s.rstrip("\n") for s in err["stackTrace"])
    sys.stdout.write("\r".join(lines) + "\n")
    sys.stdout.flush()


def _load(client):
    module_name = os.environ.get("SIGNOFF_HANDLER_MODULE", "")
    function_name = os.environ.get("SIGNOFF_HANDLER_FUNCTION", "")
    handler = os.environ.get("_HANDLER", "")
    try:
        if not module_name or not function_name:
            raise ValueError("Bad handler '%s': not enough values to unpack (expected 2, got 1)"
                             % handler)
        try:
            module = importlib.import_module(module_name)
        except ImportError as e:
            err = _error(e, "Runtime.ImportModuleError")
            err["errorMessage"] = "Unable to import module '%s': %s" % (module_name, e)
            err["stackTrace"] = []
            return None, err
        except SyntaxError as e:
            err = _error(e, "Runtime.UserCodeSyntaxError")
            err["errorMessage"] = "Syntax error in module '%s': %s" % (module_name, e)
            return None, err
        fn = getattr(module, function_name, None)
        if fn is None:
            return None, {"errorMessage": "Handler '%s' missing on module '%s'"
                          % (function_name, module_name),
                          "errorType": "Runtime.HandlerNotFound", "requestId": "",
                          "stackTrace": []}
        return fn, None
    except ValueError as e:
        return None, {"errorMessage": str(e), "errorType": "Runtime.MalformedHandlerName",
                      "requestId": "", "stackTrace": []}
    except Exception as e:
        return None, _error(e, drop_frames=1)


def main():
    sys.meta_path.insert(0, _EndpointHook())
    root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    sys.path.insert(0, root)
    client = _Client()
    fn, init_error = _load(client)
    if init_error is not None:
        _log_error(init_error)
        client.request("POST", "/init/error", json.dumps(init_error).encode(),
                       {"Lambda-Runtime-Function-Error-Type": init_error["errorType"]})
        sys.exit(1)
    while True:
        status, headers, body = client.request("GET", "/invocation/next")
        if status != 200:
            sys.exit(0)
        ctx = Context(headers)
        request_id = ctx.aws_request_id
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("lambda-runtime-trace-id", "")
        try:
            event = json.loads(body) if body else None
            result = fn(event, ctx)
            try:
                out = json.dumps(result).encode()
            except (TypeError, ValueError) as e:
                raise _MarshalError("Unable to marshal response: %s" % e)
            sys.stdout.flush()
            sys.stderr.flush()
            client.request("POST", "/invocation/%s/response" % request_id, out)
        except _MarshalError as e:
            err = {"errorMessage": str(e), "errorType": "Runtime.MarshalError",
                   "requestId": request_id, "stackTrace": []}
            _post_error(client, request_id, err)
        except Exception as e:
            err = _error(e, drop_frames=1)
            err["requestId"] = request_id
            _post_error(client, request_id, err)


class _MarshalError(Exception):
    pass


def _post_error(client, request_id, err):
    _log_error(err)
    sys.stderr.flush()
    client.request("POST", "/invocation/%s/error" % request_id, json.dumps(err).encode(),
                   {"Lambda-Runtime-Function-Error-Type": err["errorType"]})


if __name__ == "__main__":
    main()
)PY";

}  // namespace signoff::functions
