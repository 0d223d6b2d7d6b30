"""X.509 for TLS secrets and the ingress controller: what a certificate says, and whether a key fits it.

``check_pair`` is Go's ``tls.X509KeyPair`` as ``kubectl create secret tls`` runs it, with its error
texts; ``describe`` reads what curl's verbose handshake prints (subject, issuer, dates, key) from a
real certificate with the ``cryptography`` library. Only the TLS paths import this module.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n(.*?)-----END \1-----", re.S)
FAKE_SUBJECT = "O=Acme Co; CN=Kubernetes Ingress Controller Fake Certificate"
FAKE_VALIDITY = timedelta(days=365)
# OpenSSL's long names for the signature algorithms certificates are commonly signed with.
SIGNATURES = {"1.2.840.113549.1.1.11": "sha256WithRSAEncryption", "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
              "1.2.840.113549.1.1.13": "sha512WithRSAEncryption", "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
              "1.2.840.10045.4.3.2": "ecdsa-with-SHA256", "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
              "1.3.101.112": "ED25519"}


class TLSError(Exception):
    """A certificate/key pair Go's crypto/tls refuses; the message is Go's."""


@dataclass(frozen=True)
class CertificateInfo:
    subject: str  # as curl prints it with OpenSSL 3: "O=Acme Co; CN=..."
    issuer: str
    not_before: datetime
    not_after: datetime
    self_signed: bool  # subject == issuer: no CA bundle knows it
    public_key: str  # "RSA (2048/112 Bits/secBits)"
    signature: str  # "sha256WithRSAEncryption"
    names: tuple[str, ...]  # DNS names it is valid for (SAN, else the CN)
    pem: bytes


def pem_blocks(data: bytes) -> list[tuple[str, bytes]]:
    return [(match.group(1).decode(), match.group(0)) for match in PEM_BLOCK.finditer(data)]


def check_pair(cert_pem: bytes, key_pem: bytes) -> None:
    """Raise TLSError with Go's message when ``tls.X509KeyPair(cert, key)`` would fail."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    certs = pem_blocks(cert_pem)
    cert_blocks = [block for kind, block in certs if kind == "CERTIFICATE"]
    if not cert_blocks:
        if not certs:
            raise TLSError("tls: failed to find any PEM data in certificate input")
        if any(kind.endswith("PRIVATE KEY") for kind, _ in certs):
            raise TLSError("tls: failed to find certificate PEM data in certificate input, but did find a "
                           "private key; PEM inputs may have been switched")
        skipped = " ".join(kind for kind, _ in certs)
        raise TLSError(f'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM '
                       f"blocks of the following types: [{skipped}]")
    keys = pem_blocks(key_pem)
    key_block = next((block for kind, block in keys if kind == "PRIVATE KEY" or kind.endswith(" PRIVATE KEY")), None)
    if key_block is None:
        if not keys:
            raise TLSError("tls: failed to find any PEM data in key input")
        if any(kind == "CERTIFICATE" for kind, _ in keys):
            raise TLSError("tls: found a certificate rather than a key in the PEM for the private key")
        skipped = " ".join(kind for kind, _ in keys)
        raise TLSError(f'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after '
                       f"skipping PEM blocks of the following types: [{skipped}]")
    try:
        certificate = x509.load_pem_x509_certificate(cert_blocks[0])
    except ValueError:
        raise TLSError("x509: malformed certificate") from None
    try:
        key = serialization.load_pem_private_key(key_block, password=None)
    except (ValueError, TypeError):
        raise TLSError("tls: failed to parse private key") from None
    public = certificate.public_key()
    if type(public).__name__.replace("Public", "") != type(key.public_key()).__name__.replace("Public", ""):
        raise TLSError("tls: private key type does not match public key type")
    raw = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if public.public_bytes(*raw) != key.public_key().public_bytes(*raw):
        raise TLSError("tls: private key does not match public key")


def _name(name) -> str:
    """An X.509 name the way curl (OpenSSL 3, XN_FLAG_ONELINE-like) prints it: "O=Acme Co; CN=x"."""
    from cryptography.x509.oid import NameOID

    short = {NameOID.COMMON_NAME: "CN", NameOID.ORGANIZATION_NAME: "O", NameOID.ORGANIZATIONAL_UNIT_NAME: "OU",
             NameOID.COUNTRY_NAME: "C", NameOID.STATE_OR_PROVINCE_NAME: "ST", NameOID.LOCALITY_NAME: "L"}
    parts = []
    for attribute in name:
        label = short.get(attribute.oid, attribute.oid.dotted_string)
        parts.append(f"{label}={attribute.value}")
    return "; ".join(parts)


def describe(cert_pem: bytes) -> CertificateInfo:
    """What a client learns from the first certificate of a PEM bundle."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    block = next(block for kind, block in pem_blocks(cert_pem) if kind == "CERTIFICATE")
    certificate = x509.load_pem_x509_certificate(block)
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        security = {1024: 80, 2048: 112, 3072: 128, 4096: 152}.get(key.key_size, 112)
        public = f"RSA ({key.key_size}/{security} Bits/secBits)"
    elif isinstance(key, ec.EllipticCurvePublicKey):
        public = f"EC/{key.curve.name} ({key.key_size}/{key.key_size // 2} Bits/secBits)"
    else:
        public = type(key).__name__
    try:
        names = tuple(certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
                      .value.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        names = tuple(str(a.value) for a in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME))
    signature = SIGNATURES.get(certificate.signature_algorithm_oid.dotted_string, "unknown")
    return CertificateInfo(_name(certificate.subject), _name(certificate.issuer),
                           certificate.not_valid_before_utc, certificate.not_valid_after_utc,
                           certificate.subject == certificate.issuer, public, signature, names, block)


def fake_certificate(started: datetime) -> CertificateInfo:
    """ingress-nginx's default certificate (``GetFakeSSLCert``), made when the controller starts: self-issued,
    not a CA, RSA 2048, SAN ``ingress.local``, valid a year. Only what a client sees of it is kept."""
    start = started.astimezone(UTC).replace(microsecond=0)
    return CertificateInfo(FAKE_SUBJECT, FAKE_SUBJECT, start, start + FAKE_VALIDITY, True,
                           "RSA (2048/112 Bits/secBits)", "sha256WithRSAEncryption", ("ingress.local",),
                           b"")


def curl_date(moment: datetime) -> str:
    """OpenSSL's ASN1_TIME_print: ``Jun  2 10:33:41 2021 GMT`` (day padded with a space)."""
    moment = moment.astimezone(UTC)
    return f"{moment.strftime('%b')} {moment.day:2d} {moment.strftime('%H:%M:%S %Y')} GMT"


def decode_secret_value(value: str) -> bytes:
    try:
        return base64.b64decode(value)
    except ValueError:
        return b""
