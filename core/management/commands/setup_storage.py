"""Create the private bucket if needed and give it the CORS rule browser uploads need.

Real S3 refuses a browser's presigned POST from our pages unless the bucket has a CORS
rule for our origin; moto answers CORS permissively, so this command is what production
relies on. Idempotent: safe to run at every deploy.
"""

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.management.base import BaseCommand

from core import s3


class Command(BaseCommand):
    help = "Create the media bucket (private) and set its CORS rule for browser uploads."

    def add_arguments(self, parser):
        parser.add_argument(
            "--origin",
            action="append",
            dest="origins",
            help="Allowed browser origin (repeatable). Default: CSRF_TRUSTED_ORIGINS or the "
            "Wagtail admin base URL.",
        )

    def handle(self, *args, origins=None, **options):
        client = s3.client()
        bucket = s3.bucket_name()
        try:
            client.head_bucket(Bucket=bucket)
            self.stdout.write(f"bucket {bucket} exists")
        except ClientError:
            kwargs = {"Bucket": bucket}
            region = settings.AWS_S3_REGION_NAME
            if region and region != "us-east-1":
                kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
            client.create_bucket(**kwargs)
            self.stdout.write(f"bucket {bucket} created")
        client.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        origins = origins or settings.CSRF_TRUSTED_ORIGINS or [settings.WAGTAILADMIN_BASE_URL]
        client.put_bucket_cors(
            Bucket=bucket,
            CORSConfiguration={
                "CORSRules": [
                    {
                        "AllowedOrigins": list(origins),
                        "AllowedMethods": ["POST", "PUT", "GET", "HEAD"],
                        "AllowedHeaders": ["*"],
                        "ExposeHeaders": ["ETag"],
                        "MaxAgeSeconds": 3600,
                    }
                ]
            },
        )
        self.stdout.write(f"public access blocked; CORS allows {', '.join(origins)}")
