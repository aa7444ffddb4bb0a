#!/usr/bin/python3
"""Independent SigV4 reference for storage_unit_test: Debian's python3-botocore signs the
requests described in argv[1] (a JSON list) and prints, per request, the URL it built
and the Authorization header, as a JSON list. Run with /usr/bin/python3."""
import datetime
import json
import sys
from unittest import mock
from urllib.parse import quote

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode


def sign(case):
    endpoint = case["endpoint"]  # scheme://host[:port]
    scheme, host = endpoint.split("://", 1)
    key_path = percent_encode(case["key"], safe="/~") if case["key"] else ""
    if case["path_style"]:
        url = f"{scheme}://{host}/{case['bucket']}" + (f"/{key_path}" if key_path else "")
    else:
        url = f"{scheme}://{case['bucket']}.{host}/{key_path}"
    if case["query"]:
        url += "?" + "&".join(
            quote(k, safe="-_.~") + ("=" + quote(v, safe="-_.~") if v else "") for k, v in case["query"])
    body = case["body"].encode("utf-8")
    request = AWSRequest(method=case["method"], url=url, headers=dict(case["headers"]), data=body)
    when = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    request.context["timestamp"] = case["timestamp"]
    auth = S3SigV4Auth(Credentials(case["access_key"], case["secret_key"]), "s3", case["region"])
    with mock.patch("botocore.auth.datetime") as fake:
        fake.datetime.utcnow.return_value = when
        fake.datetime.now.return_value = when
        auth.add_auth(request)
    return {"url": url, "authorization": request.headers["Authorization"],
            "payload_sha256": request.headers["X-Amz-Content-SHA256"]}


print(json.dumps([sign(case) for case in json.loads(sys.argv[1])]))
