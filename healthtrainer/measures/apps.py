from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "healthtrainer.measures"
    label = "measures"
    verbose_name = "Outcome measures"

    def ready(self) -> None:
        # Measures sit above referrals, so they register how the workbook's measures sheet
        # is read and written.
        from healthtrainer.measures import workbook_sheet
        from healthtrainer.referrals.import_sheets import register_sheet_writer
        from healthtrainer.referrals.workbook import register_sheet_reader

        register_sheet_reader("measures", workbook_sheet.read_measures)
        register_sheet_writer("measures", workbook_sheet.write_measures)
