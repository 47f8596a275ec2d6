"""An LMS in the test process: it registers quizsite, starts OIDC logins, signs id_tokens with
its own key, and answers quizsite's calls to its keyset, token, score and roster endpoints
(through `responses`, so nothing leaves the process)."""

import json
import re
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import jwt
import responses
from django.core.management import call_command
from django.test import Client
from jwcrypto.jwk import JWK

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
INSTRUCTOR = ROLE + "Instructor"
LEARNER = ROLE + "Learner"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


def new_key() -> JWK:
    return JWK.generate(kty="RSA", size=2048, kid=uuid.uuid4().hex)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action")
        if tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")


def auto_submit_form(html: str) -> tuple[str, dict]:
    parser = _FormParser()
    parser.feed(html)
    return parser.action, parser.fields


@dataclass
class Member:
    sub: str
    name: str
    roles: list
    status: str = "Active"


@dataclass
class Platform:
    issuer: str = "https://lms.example.edu"
    client_id: str = "quizsite-client-1"
    deployment_id: str = "deployment-1"
    course_id: str = "course-101"
    key: JWK = field(default_factory=lambda: Platform._key())
    scores: list = field(default_factory=list)
    members: list = field(default_factory=list)
    line_items: dict = field(default_factory=dict)
    fail_scores: int = 0
    # Members exactly as the roster service sends them, to send malformed ones.
    raw_members: list | None = None

    _shared_key = None

    @staticmethod
    def _key() -> JWK:
        # RSA keys are slow to make; one for the whole test run.
        if Platform._shared_key is None:
            Platform._shared_key = JWK.generate(kty="RSA", size=2048, kid="platform-key-1")
        return Platform._shared_key

    # URLs
    @property
    def auth_url(self):
        return f"{self.issuer}/auth"

    @property
    def token_url(self):
        return f"{self.issuer}/token"

    @property
    def keyset_url(self):
        return f"{self.issuer}/jwks"

    @property
    def lineitems_url(self):
        return f"{self.issuer}/courses/{self.course_id}/lineitems"

    @property
    def memberships_url(self):
        return f"{self.issuer}/courses/{self.course_id}/memberships"

    def register(self):
        call_command(
            "lti_register",
            name="Test LMS",
            issuer=self.issuer,
            client_id=self.client_id,
            deployment_ids=[self.deployment_id],
            auth_url=self.auth_url,
            token_url=self.token_url,
            keyset_url=self.keyset_url,
            stdout=open("/dev/null", "w"),  # noqa: SIM115
        )

    def serve(self, mocked: responses.RequestsMock) -> None:
        public = json.loads(self.key.export_public())
        public.update(alg="RS256", use="sig")
        mocked.add(responses.GET, self.keyset_url, json={"keys": [public]})
        mocked.add_callback(responses.POST, self.token_url, callback=self._token)
        mocked.add_callback(
            responses.POST,
            re.compile(re.escape(self.lineitems_url) + r"/\d+/scores"),
            callback=self._score,
        )
        mocked.add_callback(
            responses.GET,
            re.compile(re.escape(self.memberships_url) + r".*"),
            callback=self._memberships,
        )

    def _token(self, request):
        body = parse_qs(request.body)
        assert body["client_assertion_type"] == [
            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
        ]
        return (
            200,
            {},
            json.dumps(
                {
                    "access_token": "platform-token",
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "scope": body.get("scope", [""])[0],
                }
            ),
        )

    def _score(self, request):
        if self.fail_scores:
            self.fail_scores -= 1
            return 503, {}, "gradebook is down"
        if request.headers.get("Authorization") != "Bearer platform-token":
            return 401, {}, "no token"
        self.scores.append({"url": request.url, **json.loads(request.body)})
        return 200, {}, "{}"

    def _memberships(self, request):
        members = self.raw_members
        if members is None:
            members = [
                {"user_id": m.sub, "name": m.name, "roles": m.roles, "status": m.status}
                for m in self.members
            ]
        body = {"id": self.memberships_url, "context": {"id": self.course_id}, "members": members}
        headers = {"Content-Type": "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"}
        return 200, headers, json.dumps(body)

    # The browser's side of a launch
    def login(self, client: Client) -> tuple[str, str]:
        """Start an OIDC login at quizsite the way the LMS does; returns (state, nonce)."""
        response = client.get(
            "/lti/login/",
            {
                "iss": self.issuer,
                "client_id": self.client_id,
                "login_hint": "hint",
                "lti_message_hint": "message-hint",
                "target_link_uri": "https://testserver/lti/launch/",
                "lti_deployment_id": self.deployment_id,
                # What the library's cookie-check page adds once cookies are known to work.
                "lti1p3_new_window": "1",
            },
            secure=True,
        )
        assert response.status_code == 302, response.content
        location = urlsplit(response["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == self.auth_url
        query = parse_qs(location.query)
        assert query["redirect_uri"] == ["https://testserver/lti/launch/"]
        return query["state"][0], query["nonce"][0]

    def claims(self, *, sub: str, roles: list, nonce: str, message_type: str, **extra) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": f"User {sub}",
            "given_name": "User",
            "family_name": sub,
            "email": f"{sub}@example.edu",
            LTI + "message_type": message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "target_link_uri": "https://testserver/lti/launch/",
            LTI + "roles": roles,
            LTI + "context": {"id": self.course_id, "title": "History 101", "label": "HIST101"},
            "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
                "context_memberships_url": self.memberships_url,
                "service_versions": ["2.0"],
            },
        }
        claims.update(extra)
        return claims

    def sign(self, claims: dict, *, key: JWK | None = None) -> str:
        key = key or self.key
        pem = key.export_to_pem(private_key=True, password=None)
        return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": key["kid"]})

    def launch(self, client: Client, *, sub: str, roles: list, message_type: str, **options):
        """A whole launch: login, then the id_token posted to quizsite. `tamper(claims)` may
        change the claims and `key` sign with another key, for the refused cases."""
        state, nonce = self.login(client)
        claims = self.claims(
            sub=sub, roles=roles, nonce=nonce, message_type=message_type, **options.get("extra", {})
        )
        if "tamper" in options:
            options["tamper"](claims)
        token = self.sign(claims, key=options.get("key"))
        self.last_post = {"id_token": token, "state": state}
        return client.post("/lti/launch/", self.last_post, secure=True)

    def deep_link_request(self, client: Client, *, sub: str):
        return self.launch(
            client,
            sub=sub,
            roles=[INSTRUCTOR],
            message_type="LtiDeepLinkingRequest",
            extra={
                "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": {
                    "deep_link_return_url": f"{self.issuer}/deep-link-return",
                    "accept_types": ["ltiResourceLink"],
                    "accept_presentation_document_targets": ["iframe", "window"],
                    "data": "platform-data-1",
                }
            },
        )

    def resource_launch(
        self,
        client: Client,
        *,
        sub: str,
        roles: list,
        resource_link_id: str,
        custom: dict | None = None,
        **options,
    ):
        extra = {
            LTI + "resource_link": {"id": resource_link_id, "title": "Peace talks"},
            LTI + "custom": custom or {},
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": [SCORE_SCOPE, LINEITEM_SCOPE],
                "lineitems": self.lineitems_url,
                "lineitem": self.line_items.get(resource_link_id, ""),
            },
        }
        extra.update(options.pop("extra", {}))
        return self.launch(
            client,
            sub=sub,
            roles=roles,
            message_type="LtiResourceLinkRequest",
            extra=extra,
            **options,
        )

    def accept_deep_link(self, form_html: str, *, resource_link_id: str, tool_jwks: dict) -> dict:
        """What the LMS does with the deep-linking response: check the tool's signature,
        create the resource link and its line item. Returns the content item."""
        action, fields = auto_submit_form(form_html)
        assert action == f"{self.issuer}/deep-link-return"
        token = fields["JWT"]
        kid = jwt.get_unverified_header(token)["kid"]
        tool_key = next(k for k in tool_jwks["keys"] if k["kid"] == kid)
        body = jwt.decode(
            token, jwt.PyJWK(tool_key).key, algorithms=["RS256"], audience=self.issuer
        )
        assert body["iss"] == self.client_id
        assert body[LTI + "message_type"] == "LtiDeepLinkingResponse"
        assert body["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "platform-data-1"
        (item,) = body["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
        if "lineItem" in item:
            number = len(self.line_items) + 1
            self.line_items[resource_link_id] = f"{self.lineitems_url}/{number}"
        return item
