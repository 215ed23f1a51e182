from healthtrainer.core.progress import ProgressBar


def test_the_progress_bar_shows_rows_done_of_the_total_percentage_and_rate():
    written = []
    now = [0.0]
    bar = ProgressBar(written.append, total=2000, clock=lambda: now[0])

    now[0] = 2.0
    bar(1000)
    now[0] = 2.1
    bar(1500)  # within the redraw interval: not drawn
    now[0] = 4.0
    bar(2000)
    bar.finish()

    assert written[0] == "\r[##########..........] 1,000 / 2,000 rows  50.0%  500 rows/s"
    assert written[1].startswith("\r[####################] 2,000 / 2,000 rows  100.0%  500 rows/s")
    assert written[2:] == ["\n"]


def test_without_a_total_the_bar_shows_rows_done_and_rate():
    written = []
    now = [0.0]
    bar = ProgressBar(written.append, total=0, clock=lambda: now[0])

    now[0] = 1.0
    bar(250)
    bar.finish()

    assert written == ["\r250 rows  250 rows/s", "\n"]


def test_the_bar_counts_what_it_is_told_to():
    written = []
    now = [0.0]
    bar = ProgressBar(written.append, total=10, clock=lambda: now[0], unit="people")

    now[0] = 1.0
    bar(5)

    assert written[0] == "\r[##########..........] 5 / 10 people  50.0%  5 people/s"
