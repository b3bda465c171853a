"""PAdES signature of a justerat protocol with the municipality's certificate, where one is configured
(settings.PDF_SIGNING). The electronic justering in the browser is the legal act; this signature makes
the file itself verifiable outside the system."""

from __future__ import annotations

import io

from django.conf import settings

from cases.models import Municipality


def signing_configured(municipality: Municipality) -> bool:
    return municipality.slug in settings.PDF_SIGNING


def pades_sign(municipality: Municipality, pdf: bytes, *, reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    config = settings.PDF_SIGNING[municipality.slug]
    signer = signers.SimpleSigner.load_pkcs12(
        config["pkcs12"], passphrase=(config["passphrase"] or "").encode() or None
    )
    if signer is None:
        raise RuntimeError(f"cannot read the signing certificate for {municipality.slug}")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name="Justering",
        reason=reason,
        location=municipality.name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()
