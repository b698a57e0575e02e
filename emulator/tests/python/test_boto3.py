"""The standalone emulator (`lensgate emulator`) driven by boto3, as a user of the AWS CLI or
boto3 would point it with --endpoint-url."""

import json
import os
import re
import subprocess
import tempfile
import time
import unittest
import uuid

import boto3
from botocore.exceptions import ClientError

BINARY = os.environ.get("LENSGATE_BIN", "target/debug/lensgate")
KEY, SECRET, ACCOUNT = "AKIAPYTHON000000001", "python-secret", "111122223333"
OTHER_KEY, OTHER_SECRET, OTHER_ACCOUNT = "AKIAPYTHON000000002", "other-secret", "444455556666"

LENS = {
    "schemaVersion": "2021-11-01",
    "name": "boto3 lens",
    "description": "Imported with boto3.",
    "pillars": [{
        "id": "ops",
        "name": "Operations",
        "questions": [{
            "id": "ops_deploy",
            "title": "How do you deploy?",
            "choices": [
                {"id": "ops_deploy_ci", "title": "Pipelines", "improvementPlan": {"displayText": "Automate"}},
                {"id": "ops_deploy_no", "title": "None of these"},
            ],
            "riskRules": [
                {"condition": "ops_deploy_ci", "risk": "NO_RISK"},
                {"condition": "default", "risk": "HIGH_RISK"},
            ],
        }],
    }],
}


class Boto3AgainstEmulator(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.process = subprocess.Popen(
            [BINARY, "emulator", "--listen", "127.0.0.1:0", "--db", os.path.join(cls.folder.name, "e.db"),
             "--access-key", KEY, "--secret-key", SECRET, "--account-id", ACCOUNT,
             "--access-key", OTHER_KEY, "--secret-key", OTHER_SECRET, "--account-id", OTHER_ACCOUNT],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        deadline = time.monotonic() + 30
        cls.url = None
        while cls.url is None and time.monotonic() < deadline:
            line = cls.process.stdout.readline()
            if not line:
                break
            match = re.search(r"on (http://127\.0\.0\.1:\d+)", line)
            if match:
                cls.url = match.group(1)
        if cls.url is None:
            cls.process.kill()
            raise RuntimeError("the emulator did not announce its address")

    @classmethod
    def tearDownClass(cls):
        cls.process.terminate()
        try:
            cls.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cls.process.kill()
        cls.folder.cleanup()

    def client(self, service, key=KEY, secret=SECRET):
        return boto3.client(
            service, endpoint_url=self.url, region_name="us-east-1",
            aws_access_key_id=key, aws_secret_access_key=secret,
        )

    def test_import_publish_share_and_accept_a_lens(self):
        wa = self.client("wellarchitected")
        arn = wa.import_lens(JSONString=json.dumps(LENS), ClientRequestToken=str(uuid.uuid4()))["LensArn"]
        wa.create_lens_version(LensAlias=arn, LensVersion="1.0", IsMajorVersion=True,
                               ClientRequestToken=str(uuid.uuid4()))
        self.assertEqual(wa.get_lens(LensAlias=arn)["Lens"]["LensVersion"], "1.0")
        exported = json.loads(wa.export_lens(LensAlias=arn)["LensJSON"])
        self.assertEqual(exported["name"], "boto3 lens")

        wa.create_lens_share(LensAlias=arn, SharedWith=OTHER_ACCOUNT, ClientRequestToken=str(uuid.uuid4()))
        other = self.client("wellarchitected", OTHER_KEY, OTHER_SECRET)
        invitations = other.list_share_invitations(ShareResourceType="LENS")["ShareInvitationSummaries"]
        mine = [i for i in invitations if i["LensArn"] == arn]
        self.assertEqual(len(mine), 1)
        other.update_share_invitation(ShareInvitationId=mine[0]["ShareInvitationId"], ShareInvitationAction="ACCEPT")
        shares = wa.list_lens_shares(LensAlias=arn)["LensShareSummaries"]
        self.assertEqual([s["Status"] for s in shares], ["ACCEPTED"])

    def test_errors_carry_their_code_and_members(self):
        wa = self.client("wellarchitected")
        with self.assertRaises(ClientError) as caught:
            wa.get_lens(LensAlias="arn:aws:wellarchitected:us-east-1:111122223333:lens/" + "0" * 32)
        error = caught.exception.response
        self.assertEqual(error["Error"]["Code"], "ResourceNotFoundException")
        self.assertEqual(error["ResponseMetadata"]["HTTPStatusCode"], 404)

        with self.assertRaises(ClientError) as caught:
            wa.import_lens(LensAlias="not-an-arn", JSONString=json.dumps(LENS), ClientRequestToken="t-1")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationException")
        self.assertIn("allowed value as alias is LensARN", caught.exception.response["Error"]["Message"])

    def test_a_bad_secret_is_refused(self):
        wa = self.client("wellarchitected", KEY, "wrong")
        with self.assertRaises(ClientError) as caught:
            wa.list_lenses()
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidSignatureException")

    def test_grant_versions_through_license_manager(self):
        lm = self.client("license-manager")
        license_arn = lm.create_license(
            LicenseName="Seats", ProductName="Product", ProductSKU="SKU-1", Issuer={"Name": "Issuer"},
            HomeRegion="us-east-1", Validity={"Begin": "2026-01-01T00:00:00Z"},
            Entitlements=[{"Name": "Seats", "Unit": "Count", "MaxCount": 5}], Beneficiary=OTHER_ACCOUNT,
            ConsumptionConfiguration={"RenewType": "None"}, ClientToken=str(uuid.uuid4()),
        )["LicenseArn"]
        grant = lm.create_grant(
            ClientToken=str(uuid.uuid4()), GrantName="Team", LicenseArn=license_arn,
            Principals=[f"arn:aws:iam::{OTHER_ACCOUNT}:root"], HomeRegion="us-east-1",
            AllowedOperations=["CheckoutLicense"],
        )
        version = lm.create_grant_version(
            ClientToken=str(uuid.uuid4()), GrantArn=grant["GrantArn"], Status="ACTIVE",
            StatusReason="Approved", SourceVersion="1", AllowedOperations=["CheckoutLicense", "CheckInLicense"],
        )
        self.assertEqual(version["Version"], "2")
        current = lm.get_grant(GrantArn=grant["GrantArn"])["Grant"]
        self.assertEqual(current["GrantedOperations"], ["CheckoutLicense", "CheckInLicense"])
        with self.assertRaises(ClientError) as caught:
            lm.create_grant_version(ClientToken=str(uuid.uuid4()), GrantArn=grant["GrantArn"], SourceVersion="1")
        self.assertEqual(caught.exception.response["Error"]["Code"], "ValidationException")


if __name__ == "__main__":
    unittest.main()
