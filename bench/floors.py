"""Hand-written SQL for the headline metrics: the floor the registry's aggregations are
compared with. One statement each, as a person tuning the database would write them."""

from __future__ import annotations

from django.db import connection

HEADLINE_SQL = {
    "referrals": """
        SELECT count(*),
               count(*) FILTER (WHERE imd_decile <= 2),
               count(*) FILTER (WHERE imd_decile IS NOT NULL),
               count(*) FILTER (WHERE employment_status = '04'),
               count(*) FILTER (WHERE employment_status = '01'),
               count(*) FILTER (WHERE employment_status NOT IN ('', 'ZZ')),
               count(*) FILTER (WHERE status = 'accepted')
        FROM referrals_referral WHERE programme_id = %(programme)s
    """,
    "goals": """
        SELECT count(*) FILTER (WHERE final_status IN ('achieved', 'partly_achieved')),
               count(*) FILTER (
                   WHERE final_status IN ('achieved', 'partly_achieved', 'not_achieved')
               )
        FROM casework_goal WHERE programme_id = %(programme)s
    """,
    "follow_ups": """
        SELECT count(*) FILTER (WHERE maintaining_strategies = 'yes'),
               count(*) FILTER (WHERE maintaining_strategies <> ''),
               count(*)
        FROM casework_followup WHERE programme_id = %(programme)s AND reached
    """,
    "sessions": """
        SELECT count(*) FILTER (WHERE n >= 1), count(*) FILTER (WHERE n >= 2)
        FROM (SELECT r.id, count(a.id) AS n
              FROM referrals_referral r
              LEFT JOIN casework_appointment a
                ON a.episode_id = r.id AND a.attendance = 'attended'
              WHERE r.programme_id = %(programme)s AND r.status = 'accepted'
              GROUP BY r.id) per_episode
    """,
    "completed": """
        SELECT count(*) FROM casework_discharge
        WHERE programme_id = %(programme)s AND reason = 'completed'
    """,
}


def headline_floor(programme_id: int) -> None:
    """Compute what the headline metrics need, in plain SQL (PostgreSQL)."""
    with connection.cursor() as cursor:
        for sql in HEADLINE_SQL.values():
            cursor.execute(sql, {"programme": programme_id})
            cursor.fetchall()
