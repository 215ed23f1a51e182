"""Hand-written SQL: the floors the registry's aggregations are compared with, as a person
tuning the database would write them (PostgreSQL).

The headline metrics take one statement each. The whole evaluation report takes a few:
every breakdown of referrals in one pass, every client outcome by every subgroup in one
pass over a row per episode, the well-being pairs, the sessions, and the small workforce
and cost tables. Each fetches the figures the report shows; the report's own statistics
(confidence intervals, tests) are left out of the floor, so the comparison flatters the
floor.
"""

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


# Subgroups as the report defines them: IMD quintile, employment, ethnic category, sex and
# age band on the day of referral (clients/codes.py AGE_BANDS).
_SUBGROUPS = """
    (r.imd_decile + 1) / 2 AS quintile, r.employment_status, r.ethnic_category, r.sex,
    CASE WHEN date_part('year', age(r.received_date, r.date_of_birth)) < 35 THEN 0
         WHEN date_part('year', age(r.received_date, r.date_of_birth)) < 50 THEN 1
         WHEN date_part('year', age(r.received_date, r.date_of_birth)) < 65 THEN 2
         ELSE 3 END AS age_band
"""
_BY_SUBGROUP = "(), (quintile), (employment_status), (ethnic_category), (sex), (age_band)"

REPORT_SQL = {
    "referrals": f"""
        WITH r AS (
            SELECT r.id, r.source, r.practice_id, r.status, r.imd_decile,
                   date_trunc('month', r.received_date) AS month,
                   r.first_contact_date - r.received_date AS wait, {_SUBGROUPS}
            FROM referrals_referral r WHERE r.programme_id = %(programme)s
        )
        SELECT quintile, employment_status, ethnic_category, sex, age_band, source,
               practice_id, month, wait, count(*),
               count(*) FILTER (WHERE status = 'accepted'),
               count(*) FILTER (WHERE status = 'not_eligible'),
               count(*) FILTER (WHERE imd_decile <= 2),
               count(*) FILTER (WHERE imd_decile IS NOT NULL)
        FROM r
        GROUP BY GROUPING SETS ({_BY_SUBGROUP}, (source), (practice_id), (month), (wait))
    """,
    "practices": """
        SELECT id, name, ods_code, registered_list_size, is_gp_champion
        FROM programmes_organisation
        WHERE programme_id = %(programme)s AND kind = 'gp_practice'
    """,
    "episodes": f"""
        WITH ep AS (
            SELECT r.id, r.client_id, {_SUBGROUPS},
                   coalesce(attended.n, 0) AS sessions,
                   d.reason = 'completed' AS completed,
                   f.reached, f.maintaining_strategies,
                   f.gp_visits_last_3_months AS gp_after, first_visit.gp AS gp_before
            FROM referrals_referral r
            LEFT JOIN (
                SELECT episode_id, count(*) AS n FROM casework_appointment
                WHERE programme_id = %(programme)s AND attendance = 'attended'
                GROUP BY episode_id
            ) attended ON attended.episode_id = r.id
            LEFT JOIN casework_discharge d ON d.episode_id = r.id
            LEFT JOIN casework_followup f ON f.episode_id = r.id
            LEFT JOIN LATERAL (
                SELECT s.gp_visits_last_3_months AS gp
                FROM casework_sessionrecord s
                JOIN casework_appointment a ON a.id = s.appointment_id
                WHERE a.episode_id = r.id AND s.gp_visits_last_3_months IS NOT NULL
                ORDER BY a.starts_at, s.id LIMIT 1
            ) first_visit ON f.reached
            WHERE r.programme_id = %(programme)s AND r.status = 'accepted'
        ),
        goals AS (
            SELECT episode_id,
                   count(*) FILTER (WHERE final_status IN ('achieved', 'partly_achieved'))
                       AS met,
                   count(*) FILTER (
                       WHERE final_status IN ('achieved', 'partly_achieved', 'not_achieved')
                   ) AS judged
            FROM casework_goal WHERE programme_id = %(programme)s GROUP BY episode_id
        )
        SELECT quintile, employment_status, ethnic_category, sex, age_band, sessions,
               count(*), count(*) FILTER (WHERE sessions >= 2),
               count(*) FILTER (WHERE completed), sum(goals.met), sum(goals.judged),
               count(*) FILTER (WHERE reached),
               count(*) FILTER (WHERE reached AND maintaining_strategies = 'yes'),
               count(*) FILTER (WHERE reached AND maintaining_strategies <> ''),
               count(gp_before) FILTER (WHERE gp_after IS NOT NULL),
               sum(gp_before) FILTER (WHERE gp_after IS NOT NULL),
               sum(gp_after) FILTER (WHERE gp_before IS NOT NULL),
               count(DISTINCT client_id) FILTER (WHERE sessions >= 1),
               count(DISTINCT client_id) FILTER (WHERE completed)
        FROM ep LEFT JOIN goals ON goals.episode_id = ep.id
        GROUP BY GROUPING SETS ({_BY_SUBGROUP}, (sessions))
    """,
    "goals_and_follow_ups": """
        SELECT 'goal', final_status, count(*) FROM casework_goal
        WHERE programme_id = %(programme)s GROUP BY final_status
        UNION ALL
        SELECT 'follow_up', maintaining_strategies, count(*) FROM casework_followup
        WHERE programme_id = %(programme)s AND reached GROUP BY maintaining_strategies
    """,
    "wellbeing_pairs": f"""
        SELECT q.episode_id,
               max(q.total) FILTER (WHERE q.timepoint = 'baseline'),
               max(q.total) FILTER (WHERE q.timepoint = 'exit'), {_SUBGROUPS}
        FROM measures_questionnaireresponse q
        JOIN referrals_referral r ON r.id = q.episode_id
        WHERE q.programme_id = %(programme)s AND q.is_current AND q.scored
          AND q.timepoint IN ('baseline', 'exit')
          AND q.instrument_id = (
              SELECT instrument_id FROM measures_programmeinstrument
              WHERE programme_id = %(programme)s AND is_primary
          )
        GROUP BY q.episode_id, r.id
        HAVING count(*) FILTER (WHERE q.timepoint = 'baseline') > 0
           AND count(*) FILTER (WHERE q.timepoint = 'exit') > 0
    """,
    # From the programme's appointments to their session records by index (LATERAL), not
    # by hashing every session record of every programme.
    "sessions": """
        SELECT a.trainer_id, count(*),
               count(*) FILTER (WHERE EXISTS (
                   SELECT 1 FROM casework_sessionrecord_techniques t
                   WHERE t.sessionrecord_id = s.id
               )),
               sum(s.duration_minutes) FILTER (
                   WHERE a.attendance = 'attended' AND a.mode <> 'group'
               )
        FROM casework_appointment a
        CROSS JOIN LATERAL (
            SELECT id, duration_minutes FROM casework_sessionrecord
            WHERE appointment_id = a.id
            LIMIT 1  -- one record per appointment; keeps the planner on the index
        ) s
        WHERE a.programme_id = %(programme)s
        GROUP BY GROUPING SETS ((), (a.trainer_id))
    """,
    "supervision": """
        SELECT s.id, r.trainer_id, avg(r.value), sum(s.duration_minutes)
        FROM workforce_supervisionsession s
        JOIN workforce_fidelityrating r ON r.session_id = s.id
        WHERE s.programme_id = %(programme)s
        GROUP BY GROUPING SETS ((s.id, r.trainer_id), ())
    """,
    "training": """
        SELECT 'satisfaction', a.item_id, a.value, count(*)
        FROM workforce_satisfactionanswer a
        JOIN workforce_satisfactionresponse r ON r.id = a.response_id
        WHERE r.programme_id = %(programme)s GROUP BY a.item_id, a.value
        UNION ALL
        SELECT 'confidence', a.technique_id, a.value, count(*)
        FROM workforce_confidenceanswer a
        JOIN workforce_confidencesurvey s ON s.id = a.survey_id
        WHERE s.programme_id = %(programme)s GROUP BY a.technique_id, a.value
    """,
    "costs": """
        SELECT 'item', category, sum(amount) FROM workforce_costitem
        WHERE programme_id = %(programme)s GROUP BY category
        UNION ALL
        SELECT 'budget', '', sum(amount) FROM workforce_budgetline
        WHERE programme_id = %(programme)s
        UNION ALL
        SELECT 'indirect', role || ' ' || activity, sum(hours) FROM workforce_indirecttime
        WHERE programme_id = %(programme)s GROUP BY role, activity
        UNION ALL
        SELECT 'rate', role, hourly_rate FROM workforce_rolerate
        WHERE programme_id = %(programme)s
        UNION ALL
        SELECT 'course', title, cost FROM workforce_course WHERE programme_id = %(programme)s
    """,
}


def report_floor(programme_id: int) -> None:
    """Fetch what the evaluation report shows, in plain SQL (PostgreSQL)."""
    with connection.cursor() as cursor:
        for sql in REPORT_SQL.values():
            cursor.execute(sql, {"programme": programme_id})
            cursor.fetchall()
