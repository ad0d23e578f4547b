"""Images authors upload for lessons: checked to be real images by decoding them (Pillow),
capped in bytes and pixels, and stored under a name the server chooses."""

import io
import secrets
import warnings

from PIL import Image, UnidentifiedImageError
from sqlmodel import Session, col, delete, select

from frontline import audit_trail
from frontline.i18n import N_
from frontline.models import id_of
from frontline.uploads import UploadError
from training.models import LessonImage, Module

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000  # a 5000 x 5000 photo; more is a decompression bomb
FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
NAME_PATTERN = r"^[0-9a-f]{32}\.(png|jpg|gif|webp)$"


def inspect_image(data: bytes) -> tuple[str, int, int]:
    """(format, width, height) of a real image in an accepted format, else UploadError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                image_format, (width, height) = probe.format or "", probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadError(N_("The image is too large in pixels."))
                probe.verify()
            # verify() checks structure only; decoding the pixels catches truncated files.
            with Image.open(io.BytesIO(data)) as decoded:
                decoded.load()
    except UploadError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise UploadError(N_("The file is not an image in PNG, JPEG, GIF or WebP.")) from exc
    if image_format not in FORMATS:
        raise UploadError(N_("The file is not an image in PNG, JPEG, GIF or WebP."))
    return image_format, width, height


def save_image(
    session: Session,
    *,
    module: Module,
    data: bytes,
    original_name: str,
    actor_id: int | None,
    ip: str = "",
) -> LessonImage:
    if len(data) > MAX_IMAGE_BYTES:
        raise UploadError(N_("The file is larger than %(limit)s."), {"limit": "2 MB"})
    image_format, width, height = inspect_image(data)
    extension, content_type = FORMATS[image_format]
    image = LessonImage(
        name=f"{secrets.token_hex(16)}.{extension}",
        module_id=id_of(module),
        original_name=original_name[-255:],
        content_type=content_type,
        width=width,
        height=height,
        size_bytes=len(data),
        data=data,
        uploaded_by_id=actor_id,
    )
    session.add(image)
    session.flush()
    audit_trail.record(
        session,
        action="training.image_upload",
        actor_id=actor_id,
        target_type="training_module",
        target_id=module.code,
        detail={"name": image.name, "original_name": image.original_name, "bytes": len(data)},
        ip=ip,
    )
    return image


def get_image(session: Session, *, name: str) -> LessonImage | None:
    return session.exec(select(LessonImage).where(LessonImage.name == name)).first()


def images_of(session: Session, *, module_id: int) -> list[tuple[str, str, int, int]]:
    """(name, original name, width, height) of a module's images, newest first."""
    rows = session.exec(
        select(LessonImage.name, LessonImage.original_name, LessonImage.width, LessonImage.height)
        .where(LessonImage.module_id == module_id)
        .order_by(col(LessonImage.id).desc())
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def delete_images_of(session: Session, *, module_id: int) -> None:
    session.exec(delete(LessonImage).where(col(LessonImage.module_id) == module_id))
