from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "healthtrainer.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        # The referrals import reads and writes the casework sheets of a programme workbook
        # through these: casework sits above referrals, so it registers them.
        from healthtrainer.casework import workbook_sheets as sheets
        from healthtrainer.referrals.import_sheets import register_sheet_writer
        from healthtrainer.referrals.workbook import register_sheet_reader

        for sheet, reader, writer in (
            ("sessions", sheets.read_sessions, sheets.write_sessions),
            ("goals", sheets.read_goals, sheets.write_goals),
            ("discharges", sheets.read_discharges, sheets.write_discharges),
            ("follow_ups", sheets.read_follow_ups, sheets.write_follow_ups),
        ):
            register_sheet_reader(sheet, reader)
            register_sheet_writer(sheet, writer)
