"""Variants of drill 40 (product images, streamed): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

IMAGES = "app/orm/images.py"
LOOP = """            while chunk := source.read(chunk_size):
                size += len(chunk)
                if size > max_bytes:
                    raise errors.ImageTooLarge(sku, max_bytes)
                digest.update(chunk)
                temporary.write(chunk)
"""
CLEANUP = """    except BaseException:
        Path(temporary.name).unlink(missing_ok=True)
        raise
"""
LOOKUP = """    image = session.scalar(
        select(models.ProductImage).where(
            models.ProductImage.product_id == product_id,
            models.ProductImage.sha256 == sha256,
        )
    )
    if image is None:
"""
ADD = """        image = models.ProductImage(
            product_id=product_id,
            sha256=sha256,
            size=size,
            content_type=content_type,
            created_at=utc_now(),
        )
        session.add(image)
        session.flush()
"""
READ_LOOP = """        while chunk := handle.read(chunk_size):
            digest.update(chunk)
            yield chunk
"""

VARIANTS = [
    wrong(
        "cleans up on Exception only: Ctrl-C leaves a temporary file",
        replace_text(
            IMAGES, old="    except BaseException:\n", new="    except Exception:\n"
        ),
    ),
    wrong(
        "a fixed temporary name per product: two uploads at once share one file",
        replace_text(
            IMAGES,
            old="""    temporary = tempfile.NamedTemporaryFile(
        dir=directory, prefix=".upload-", suffix=".tmp", delete=False
    )
""",
            new="""    temporary = open(directory / f".{sku}.tmp", "wb")  # noqa: SIM115
""",
        ),
    ),
    wrong(
        "rolls the caller's transaction back when an upload fails",
        replace_text(
            IMAGES,
            old="""        Path(temporary.name).unlink(missing_ok=True)
        raise
""",
            new="""        Path(temporary.name).unlink(missing_ok=True)
        session.rollback()
        raise
""",
        ),
    ),
    wrong(
        "reads the whole upload with source.read()",
        replace_text(
            IMAGES,
            old="            while chunk := source.read(chunk_size):\n",
            new="            for chunk in [source.read()]:\n",
        ),
    ),
    wrong(
        "reads in chunks but keeps them all, then hashes and writes the lot",
        replace_text(
            IMAGES,
            old=LOOP,
            new="""            parts = []
            while chunk := source.read(chunk_size):
                size += len(chunk)
                if size > max_bytes:
                    raise errors.ImageTooLarge(sku, max_bytes)
                parts.append(chunk)
            data = b"".join(parts)
            digest.update(data)
            temporary.write(data)
""",
        ),
    ),
    wrong(
        "checks the size once everything is written",
        replace_text(
            IMAGES,
            old=LOOP,
            new="""            while chunk := source.read(chunk_size):
                size += len(chunk)
                digest.update(chunk)
                temporary.write(chunk)
            if size > max_bytes:
                raise errors.ImageTooLarge(sku, max_bytes)
""",
        ),
    ),
    wrong(
        "leaves the temporary file behind when the upload fails",
        replace_text(IMAGES, old=CLEANUP, new="    finally:\n        pass\n"),
    ),
    wrong(
        "writes straight to a file of its own name, renamed only at the end",
        replace_text(
            IMAGES,
            old="""    temporary = tempfile.NamedTemporaryFile(
        dir=directory, prefix=".upload-", suffix=".tmp", delete=False
    )
""",
            new="""    temporary = open(  # noqa: SIM115
        directory / f"{sku}.png", "wb"
    )
""",
        ),
        replace_text(IMAGES, old=CLEANUP, new="    finally:\n        pass\n"),
        replace_text(IMAGES, old="import tempfile\n", new=""),
    ),
    wrong(
        "a temporary file in the system's temp folder, not beside the images",
        replace_text(
            IMAGES,
            old='dir=directory, prefix=".upload-"',
            new='prefix=".upload-"',
        ),
    ),
    wrong(
        "refuses an image of exactly max_bytes",
        replace_text(IMAGES, old="if size > max_bytes:", new="if size >= max_bytes:"),
    ),
    wrong(
        "adds a row again for bytes the product already has",
        replace_text(IMAGES, old=LOOKUP, new="    if True:\n"),
    ),
    wrong(
        "commits the row itself",
        replace_text(
            IMAGES,
            old="        session.flush()\n",
            new="        session.commit()\n",
        ),
    ),
    wrong(
        "reads an image back without checking its SHA-256",
        replace_text(
            IMAGES,
            old="""    if (found := digest.hexdigest()) != image.sha256:
        raise errors.CorruptImage(image_id, path, image.sha256, found)
""",
            new="",
        ),
    ),
    wrong(
        "reads the whole file back to check it before handing out chunks",
        replace_text(
            IMAGES,
            old="""    with path.open("rb") as handle:
"""
            + READ_LOOP,
            new="""    data = path.read_bytes()
    digest.update(data)
    if (found := digest.hexdigest()) != image.sha256:
        raise errors.CorruptImage(image_id, path, image.sha256, found)
    for start in range(0, len(data), chunk_size):
        yield data[start : start + chunk_size]
""",
        ),
    ),
    alternative(
        "mkstemp and os.fdopen, iter() with a sentinel, and no rename over a file that is there",
        replace_function(
            IMAGES,
            "save_image",
            '''
            def save_image(
                session: Session,
                sku: str,
                source: ByteSource,
                *,
                directory: Path,
                content_type: str,
                max_bytes: int = MAX_BYTES,
                chunk_size: int = CHUNK_SIZE,
            ) -> models.ProductImage:
                """Stream to a temporary file, then rename; the row last."""
                product = session.scalars(
                    select(models.Product).where(models.Product.sku == sku)
                ).one_or_none()
                if product is None:
                    raise errors.ProductNotFound("no such product", skus=[sku])
                fd, name = tempfile.mkstemp(dir=directory)
                try:
                    digest = hashlib.sha256()
                    size = 0
                    with os.fdopen(fd, "wb") as out:
                        for chunk in iter(lambda: source.read(chunk_size), b""):
                            if size + len(chunk) > max_bytes:
                                raise errors.ImageTooLarge(sku, max_bytes)
                            size += len(chunk)
                            digest.update(chunk)
                            out.write(chunk)
                        out.flush()
                        os.fsync(out.fileno())
                    final = image_path(directory, digest.hexdigest())
                    if final.exists():
                        os.unlink(name)
                    else:
                        os.replace(name, final)
                        sync_folder(directory)
                except BaseException:
                    if os.path.exists(name):
                        os.unlink(name)
                    raise
                existing = session.scalars(
                    select(models.ProductImage).filter_by(
                        product_id=product.id, sha256=final.name
                    )
                ).first()
                if existing is not None:
                    return existing
                image = models.ProductImage(
                    product_id=product.id,
                    sha256=final.name,
                    size=size,
                    content_type=content_type,
                    created_at=utc_now(),
                )
                session.add(image)
                session.flush()
                return image
            ''',
        ),
    ),
    alternative(
        "checks the whole file first, then streams it (two passes)",
        replace_text(
            IMAGES,
            old="""    with path.open("rb") as handle:
"""
            + READ_LOOP
            + """    if (found := digest.hexdigest()) != image.sha256:
        raise errors.CorruptImage(image_id, path, image.sha256, found)
""",
            new="""    with path.open("rb") as handle:
        found = hashlib.file_digest(handle, "sha256").hexdigest()
    if found != image.sha256:
        raise errors.CorruptImage(image_id, path, image.sha256, found)
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            yield chunk
""",
        ),
    ),
]
