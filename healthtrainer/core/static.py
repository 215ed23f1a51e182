from whitenoise.storage import CompressedManifestStaticFilesStorage


class ModuleAwareStaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """Hashed static files whose ES module `import` paths are rewritten as well.

    The NHS.UK frontend ships as an ES module that our own script imports, so the
    import path must follow the hashed file name.
    """

    support_js_module_import_aggregation = True
