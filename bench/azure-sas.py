# azure-sas.py ENDPOINT ACCOUNT KEY [CONTAINER]: an account SAS query (no CONTAINER) or a container SAS URL, valid for a day.
import base64, datetime, hashlib, hmac, sys, urllib.parse
endpoint, account, key = sys.argv[1:4]
expiry = (datetime.datetime.utcnow() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
sign = lambda fields: base64.b64encode(hmac.new(base64.b64decode(key), "\n".join(fields).encode(), hashlib.sha256).digest()).decode()
if len(sys.argv) == 4:
    sig = sign([account, "racwdl", "b", "sco", "", expiry, "", "", "2019-12-12", ""])
    print(urllib.parse.urlencode({"sv": "2019-12-12", "ss": "b", "srt": "sco", "sp": "racwdl", "se": expiry, "sig": sig}))
else:
    container = sys.argv[4]
    sig = sign(["racwdl", "", expiry, f"/blob/{account}/{container}", "", "", "", "2019-12-12", "c", "", "", "", "", "", ""])
    print(f"{endpoint}/{container}?" + urllib.parse.urlencode({"sv": "2019-12-12", "sr": "c", "sp": "racwdl", "se": expiry, "sig": sig}))
