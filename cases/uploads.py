"""Upload checks: the content decides the type, not the name; sizes are limited."""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

ALLOWED = {
    "pdf": ("application/pdf", (".pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    "odt": ("application/vnd.oasis.opendocument.text", (".odt",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
}


def sniff(upload: UploadedFile) -> str | None:
    """The kind of file the bytes say it is, or None."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names and archive.read("mimetype").strip() == ALLOWED["odt"][0].encode():
                    return "odt"
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
    return None


def clean_filename(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base)
    except Exception:  # noqa: BLE001 - Django raises SuspiciousFileOperation for names like ".."
        cleaned = ""
    return cleaned[:200] or "fil"


def check_upload(upload: UploadedFile) -> str:
    """Validate an upload in place; returns its content type. Raises ValidationError in Swedish."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Filen är för stor (%(size)s MB). Största tillåtna storlek är %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": limit // (1024 * 1024)}
        )
    if not upload.size:
        raise ValidationError(_("Filen är tom."))
    kind = sniff(upload)
    if kind is None:
        raise ValidationError(_("Filtypen stöds inte. Ladda upp PDF, Word (DOCX), OpenDocument (ODT), PNG eller JPEG."))
    content_type, extensions = ALLOWED[kind]
    name = clean_filename(upload.name or "")
    if not name.lower().endswith(extensions):
        raise ValidationError(
            _("Filen heter ”%(name)s” men innehållet är %(kind)s. Kontrollera att du valt rätt fil.")
            % {"name": name, "kind": kind.upper()}
        )
    upload.name = name
    upload.content_type = content_type
    return content_type
