"""Uploads: validation, metadata stripping, resized variants, storage backends."""
