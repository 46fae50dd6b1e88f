"""Ledger benchmark: balance sheet vs `ledger bal`, posting vs pgbench, FEC export speed and memory.

Run from the repository root: `.venv/bin/python bench/ledger_bench.py [--lines N] [--duration S]`.
Needs a local PostgreSQL (postgres@127.0.0.1, trust auth), `ledger` and `pgbench` on PATH.
It creates and drops its own databases (federage_bench, federage_pgbench) and a SQLite file
under var/bench/, prints every figure with its goal, and writes bench/results/ledger.json.

  (a) balance sheet of one commons with N lines (default 1,000,000): median latency on SQLite
      and PostgreSQL, beside `ledger bal` on the same data exported as a journal (goal ≥ 20×);
  (b) posting throughput through `entry_post` on PostgreSQL, 1 and 8 worker processes, beside
      pgbench TPC-B-like with the same client count and duration (goal: ratio ≥ 0.5);
  (c) FEC export of the N lines: lines per second and peak memory, compared with an export a
      tenth the size to show memory does not grow with the file (goal ≥ 100,000 lines/s); on
      PostgreSQL beside `COPY (SELECT … the same lines) TO STDOUT WITH CSV` (goal ratio ≥ 0.5).
`--fec-verify-only` loads N lines into PostgreSQL alone, times `verify` (goal ≤ 5 s on 1,000,000)
and (c), and writes bench/results/ledger-fec-verify.json.

Each part runs in its own process (the database is chosen from the environment at start-up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "ledger.json"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "federage_bench"
PGBENCH_DB = "federage_pgbench"
SQLITE_PATH = VAR / "ledger-bench.sqlite3"
YEAR_START = dt.date(2026, 1, 1)
TODAY = dt.date(2026, 11, 26)


# Child side: Django parts, one database per process.


def _django(database: str) -> None:
    if database == "postgresql":
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{PG_DB}"
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["FEDERAGE_SQLITE_PATH"] = str(SQLITE_PATH)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "federage.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _fixed_clock():
    from federage.core import clock

    return clock.frozen(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC))


def _new_commons(slug: str):
    from federage.accounts import services as account_services
    from federage.commons import services as commons_services

    user = account_services.user_sign_up(
        email=f"{slug}@bench.federage.test",
        password="Tr0ub4dor-zebra-quartz-91",  # noqa: S106 - a throwaway benchmark user
        display_name=slug,
    )
    return user, commons_services.commons_create(
        user=user, slug=slug, name=slug, visibility="public"
    )


def bulk_load(*, commons_id: int, lines: int, seed: int) -> dict:
    """Loads `lines` lines (two per entry) as `entry_post` would have written them: same hash
    chain, numbering and running balances, but with COPY / executemany instead of one
    transaction per entry."""
    from django.db import connection, transaction

    from federage.ledger import domain
    from federage.ledger.models import Account, AccountDay, Book, Entry, Line, Period

    rng = random.Random(seed)
    book = Book.objects.get(commons_id=commons_id)
    period = Period.objects.get(book=book, start=YEAR_START)
    accounts = {a.number: a.pk for a in Account.objects.filter(book=book)}
    pairs = [
        ("601", "401", "AC"),
        ("401", "512", "BQ"),
        ("411", "706", "VE"),
        ("512", "411", "BQ"),
        ("613", "512", "AC"),
        ("627", "512", "BQ"),
        ("512", "741", "OD"),
        ("2154", "1014", "AP"),
    ]
    days = (TODAY - YEAR_START).days + 1
    entry_id = (Entry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    line_id = (Line.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    previous = book.head_hash
    sequence = book.entry_count
    numbers: dict[str, int] = {}
    entries, rows = [], []
    running: dict[tuple[int, dt.date], list[int]] = {}
    created = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    authorisation = domain.Authorisation("bench", "bulk")
    started = time.perf_counter()
    # Dates ascend with the sequence, as a year of daily bookkeeping would.
    dates = sorted(YEAR_START + dt.timedelta(days=rng.randrange(days)) for _ in range(lines // 2))
    for index, day in enumerate(dates):
        debit_number, credit_number, journal = pairs[rng.randrange(len(pairs))]
        cents = rng.randrange(100, 500_000)
        sequence += 1
        numbers[journal] = numbers.get(journal, 0) + 1
        label = f"Écriture de test {index}"
        piece = f"B{sequence}"
        line_inputs = [
            domain.LineInput(debit_number, debit=domain.Money(cents)),
            domain.LineInput(credit_number, credit=domain.Money(cents)),
        ]
        content = domain.EntryContent(
            commons_id=commons_id,
            sequence=sequence,
            journal=journal,
            number=numbers[journal],
            entry_date=day,
            validation_date=day,
            label=label,
            piece_ref=piece,
            piece_date=None,
            total_cents=cents,
            lines=((debit_number, cents, 0, ""), (credit_number, 0, cents, "")),
            authorisation=authorisation.as_dict(),
        )
        digest = domain.request_digest(
            journal=journal,
            entry_date=day,
            label=label,
            piece_ref=piece,
            piece_date=None,
            lines=line_inputs,
            authorisation=authorisation,
        )
        entry_hash = domain.entry_hash(content, previous)
        entries.append(
            (
                entry_id, book.pk, commons_id, sequence, journal, numbers[journal], day, day,
                label, piece, None, period.pk, cents, None, f"bench:{sequence}", digest,
                "bench", "bulk", None, None, None, previous, entry_hash, created,
            )
        )  # fmt: skip
        for position, (number, debit, credit) in enumerate(
            ((debit_number, cents, 0), (credit_number, 0, cents)), start=1
        ):
            account_id = accounts[number]
            rows.append((line_id, entry_id, book.pk, position, account_id, day, debit, credit, ""))
            line_id += 1
            pair = running.setdefault((account_id, day), [0, 0])
            pair[0] += debit
            pair[1] += credit
        previous = entry_hash
        entry_id += 1
    prepared = time.perf_counter() - started
    entry_columns = (
        "id, book_id, commons_id, sequence, journal, number, entry_date, validation_date, "
        "label, piece_ref, piece_date, period_id, total_cents, reverses_id, idempotency_key, "
        "request_digest, source_type, source_id, decision_id, charter_version_id, "
        "actor_user_id, previous_hash, hash, created_at"
    )
    line_columns = (
        "id, entry_id, book_id, position, account_id, entry_date, debit_cents, credit_cents, label"
    )
    day_rows = [
        (book.pk, account_id, period.pk, day, debit, credit)
        for (account_id, day), (debit, credit) in running.items()
    ]
    day_columns = "book_id, account_id, period_id, day, debit_cents, credit_cents"
    started = time.perf_counter()
    with transaction.atomic():
        assert not AccountDay.objects.filter(book=book).exists(), "bulk load needs an empty book"
        connection.ensure_connection()
        raw = connection.connection
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor:
                for table, columns, data in (
                    ("ledger_entry", entry_columns, entries),
                    ("ledger_line", line_columns, rows),
                    ("ledger_accountday", day_columns, day_rows),
                ):
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in data:
                            copy.write_row(row)
                for table in ("ledger_entry", "ledger_line", "ledger_accountday"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
        else:
            stamp = created.replace(tzinfo=None).isoformat(" ")

            def sqlite_row(row: tuple) -> tuple:
                return tuple(
                    value.isoformat() if isinstance(value, dt.date) and not isinstance(value, dt.datetime)
                    else stamp if isinstance(value, dt.datetime) else value
                    for value in row
                )  # fmt: skip

            for table, columns, data in (
                ("ledger_entry", entry_columns, entries),
                ("ledger_line", line_columns, rows),
                ("ledger_accountday", day_columns, day_rows),
            ):
                marks = ", ".join("?" * len(columns.split(",")))
                raw.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    map(sqlite_row, data),
                )
        Book.objects.filter(pk=book.pk).update(entry_count=sequence, head_hash=previous)
    written = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"entries": len(entries), "lines": len(rows), "prepare_s": prepared, "write_s": written}


def part_load(database: str, lines: int) -> dict:
    """Fresh database, one big commons (N lines) and one a tenth its size; verify both."""
    _django(database)
    from django.core.management import call_command

    from federage.ledger import selectors

    call_command("migrate", verbosity=0)
    out = {}
    with _fixed_clock():
        for slug, size, seed in (("bench-big", lines, 1), ("bench-small", lines // 10, 2)):
            _, commons = _new_commons(slug)
            started = time.perf_counter()
            out[slug] = bulk_load(commons_id=commons.pk, lines=size, seed=seed)
            out[slug]["load_s"] = time.perf_counter() - started
            book = selectors.book_of(commons_id=commons.pk)
            started = time.perf_counter()
            problems = selectors.book_verify(book=book)
            out[slug]["verify_s"] = time.perf_counter() - started
            out[slug]["verify_problems"] = problems[:5]
            out[slug]["commons_id"] = commons.pk
    return out


def part_balance_sheet(database: str, runs: int) -> dict:
    _django(database)
    from federage.ledger import selectors
    from federage.ledger.exports import commons_by_slug

    commons = commons_by_slug("bench-big")
    book = selectors.book_of(commons_id=commons.pk)
    timings = []
    sheet = None
    for _ in range(runs + 1):
        started = time.perf_counter()
        sheet = selectors.balance_sheet(book=book, at=TODAY)
        timings.append(time.perf_counter() - started)
    timings = timings[1:]  # the first run warms caches and the connection
    assert sheet is not None and sheet["total_actif_cents"] == sheet["total_passif_cents"]
    return {
        "median_s": statistics.median(timings),
        "min_s": min(timings),
        "max_s": max(timings),
        "runs": runs,
        "total_actif_cents": sheet["total_actif_cents"],
        "result_cents": sheet["result_cents"],
    }


def part_journal(database: str, path: str) -> dict:
    _django(database)
    from federage.ledger.exports import commons_by_slug, journal_write

    started = time.perf_counter()
    journal_write(commons=commons_by_slug("bench-big"), out=path)
    return {"seconds": time.perf_counter() - started, "bytes": Path(path).stat().st_size}


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def part_fec(database: str, slug: str, directory: str) -> dict:
    _django(database)
    from federage.ledger import selectors
    from federage.ledger.exports import commons_by_slug, fec_stream

    book = selectors.book_of(commons_id=commons_by_slug(slug).pk)
    period = selectors.period_at(book=book, at=TODAY)
    path = Path(directory) / f"{slug}-{database}.txt"
    before = _rss_mib()
    started = time.perf_counter()
    count = fec_stream(book=book, period=period, path=path)
    seconds = time.perf_counter() - started
    result = {
        "lines": count,
        "seconds": seconds,
        "lines_per_s": count / seconds,
        "rss_before_mib": before,
        "rss_peak_mib": _rss_mib(),
        "rss_delta_mib": _rss_mib() - before,
        "bytes": path.stat().st_size,
    }
    if database == "postgresql":
        # The reference, in the same process just after: PostgreSQL's own COPY … TO of the same
        # lines with what a FEC line needs (entry, line, account joined), as CSV, to a file.
        result["copy_csv"] = _copy_csv(book=book, period=period, path=path.with_suffix(".csv"))
        result["ratio_vs_copy"] = result["lines_per_s"] / result["copy_csv"]["lines_per_s"]
    return result


def _copy_csv(*, book, period, path: Path) -> dict:
    from django.db import connection

    # Only integers from the database are interpolated.
    sql = (
        "COPY (SELECT e.journal, e.number, e.entry_date, a.number, a.label, e.piece_ref, "  # noqa: S608
        "e.piece_date, COALESCE(NULLIF(l.label, ''), e.label), l.debit_cents, l.credit_cents, "
        "e.validation_date FROM ledger_line l JOIN ledger_entry e ON e.id = l.entry_id "
        "JOIN ledger_account a ON a.id = l.account_id "
        f"WHERE e.book_id = {int(book.pk)} AND e.period_id = {int(period.pk)} "
        "ORDER BY e.sequence, l.position) TO STDOUT WITH CSV"
    )
    connection.ensure_connection()
    count = 0
    started = time.perf_counter()
    with (
        connection.connection.cursor() as cursor,
        open(path, "wb") as out,
        cursor.copy(sql) as copy,
    ):
        for block in copy:
            out.write(block)
            count += bytes(block).count(b"\n")
    seconds = time.perf_counter() - started
    return {"lines": count, "seconds": seconds, "lines_per_s": count / seconds,
            "bytes": path.stat().st_size}  # fmt: skip


def part_post_setup(books: int) -> dict:
    """One commons (one book) per worker; reused when a previous run made them."""
    _django("postgresql")
    from federage.commons.selectors import commons_all_with_member_counts

    ids = []
    with _fixed_clock():
        for index in range(books):
            slug = f"bench-post-{index}"
            existing = commons_all_with_member_counts().filter(slug=slug).first()
            ids.append(existing.pk if existing else _new_commons(slug)[1].pk)
    return {"commons_ids": ids}


def part_post_worker(commons_id: int, duration: float, worker: int) -> dict:
    """Posts entries through `entry_post` for `duration` seconds from the start time that the
    parent sends on stdin once every worker is ready."""
    _django("postgresql")
    from federage.accounts.selectors import user_by_email
    from federage.core.money import Money
    from federage.ledger.domain import LineInput
    from federage.ledger.services import entry_post

    user = user_by_email(email="bench-post-0@bench.federage.test")
    rng = random.Random(worker)
    with _fixed_clock():
        # One warm-up posting opens the connection before the clock starts.
        entry_post(
            commons_id=commons_id, journal="VE", entry_date=TODAY, label="Échauffement",
            piece_ref="W", lines=[LineInput("411", debit=Money(1)), LineInput("706", credit=Money(1))],
            idempotency_key=f"warm:{worker}:{time.time()}", authorised_by={"source_type": "bench"},
            actor_user_id=user.pk,
        )  # fmt: skip
        print("READY", flush=True)
        start_at = float(sys.stdin.readline())
        while time.time() < start_at:
            time.sleep(0.0005)
        deadline = start_at + duration
        count = 0
        while time.time() < deadline:
            cents = rng.randrange(100, 100_000)
            entry_post(
                commons_id=commons_id,
                journal="VE",
                entry_date=TODAY,
                label="Redevance d'usage",
                piece_ref=f"R{worker}-{count}",
                lines=[LineInput("411", debit=Money(cents)), LineInput("706", credit=Money(cents))],
                idempotency_key=f"bench:{worker}:{count}:{start_at}",
                authorised_by={"source_type": "bench", "source_id": str(count)},
                actor_user_id=user.pk,
            )
            count += 1
    return {"posted": count}


def child(argv: list[str]) -> None:
    part = argv[0]
    functions = {
        "load": lambda: part_load(argv[1], int(argv[2])),
        "balance-sheet": lambda: part_balance_sheet(argv[1], int(argv[2])),
        "journal": lambda: part_journal(argv[1], argv[2]),
        "fec": lambda: part_fec(argv[1], argv[2], argv[3]),
        "post-setup": lambda: part_post_setup(int(argv[1])),
        "post-worker": lambda: part_post_worker(int(argv[1]), float(argv[2]), int(argv[3])),
    }
    print("RESULT " + json.dumps(functions[part](), default=str), flush=True)


# Parent side: orchestration, external tools, report.


def run_child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode != 0:
        sys.exit(f"part {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    output = done.stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def psql(database: str, sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qAtc", sql],
        check=True,
        capture_output=True,
    )


def fresh_pg_database(name: str) -> None:
    psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {name}")


def timed(command: list[str], runs: int) -> dict:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append(time.perf_counter() - started)
    return {"median_s": statistics.median(timings), "min_s": min(timings), "runs": runs}


def pgbench(clients: int, duration: int) -> float:
    output = subprocess.run(
        [
            "pgbench", "-h", "127.0.0.1", "-U", "postgres", "-c", str(clients),
            "-j", str(min(clients, os.cpu_count() or 1)), "-T", str(duration), PGBENCH_DB,
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    match = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", output)
    assert match, output
    return float(match.group(1))


def posting_throughput(commons_ids: list[int], duration: float) -> float:
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--child", "post-worker", str(commons_id),
             str(duration), str(index)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )
        for index, commons_id in enumerate(commons_ids)
    ]  # fmt: skip
    for worker in workers:  # every worker has started Django and posted once
        assert worker.stdout is not None
        while worker.stdout.readline().strip() != "READY":
            assert worker.poll() is None, "a posting worker died"
    start_at = time.time() + 0.5
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write(f"{start_at}\n")
        worker.stdin.flush()
    total = 0
    for worker in workers:
        output, _ = worker.communicate()
        assert worker.returncode == 0, output
        line = next(line for line in output.splitlines() if line.startswith("RESULT "))
        total += json.loads(line[len("RESULT ") :])["posted"]
    return total / duration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per throughput run")
    parser.add_argument("--runs", type=int, default=15, help="balance-sheet runs per database")
    parser.add_argument(
        "--skip-load", action="store_true", help="reuse the databases of the previous run"
    )
    parser.add_argument(
        "--fec-verify-only",
        action="store_true",
        help="PostgreSQL only: load N lines (verify timed there), then the FEC export beside "
        "COPY … TO; writes bench/results/ledger-fec-verify.json",
    )
    args = parser.parse_args()
    if args.fec_verify_only:
        fec_verify_only(args.lines)
        return
    for tool in ("ledger", "pgbench", "psql"):
        assert shutil.which(tool), f"{tool} is not installed"
    VAR.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "lines": args.lines,
        "machine": {
            "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "ledger": subprocess.run(
                ["ledger", "--version"], capture_output=True, text=True
            ).stdout.splitlines()[0],
        },
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }

    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if args.skip_load and previous.get("lines") == args.lines and "load" in previous:
        print(f"Reusing the {args.lines:,} lines loaded by the previous run.", flush=True)
        results["load"] = previous["load"]
    else:
        print(f"Loading {args.lines:,} lines into SQLite and PostgreSQL…", flush=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        fresh_pg_database(PG_DB)
        results["load"] = {
            db: run_child("load", db, str(args.lines)) for db in ("sqlite", "postgresql")
        }
        # Saved at once, so that a later part failing does not cost the load (--skip-load).
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    for db, loaded in results["load"].items():
        big = loaded["bench-big"]
        print(f"  {db}: {big['lines']:,} lines loaded in {big['load_s']:.1f} s, "
              f"verify {big['verify_s']:.1f} s, problems: {len(big['verify_problems'])}")  # fmt: skip

    print("(a) balance sheet…", flush=True)
    journal = VAR / "ledger-bench.journal"
    results["journal_export"] = run_child("journal", "sqlite", str(journal))
    ledger = timed(["ledger", "-f", str(journal), "bal"], 3)
    results["a"] = {"ledger_bal": ledger}
    for db in ("sqlite", "postgresql"):
        ours = run_child("balance-sheet", db, str(args.runs))
        ours["ratio_vs_ledger"] = ledger["median_s"] / ours["median_s"]
        results["a"][db] = ours

    print("(c) FEC export…", flush=True)
    results["c"] = {
        db: {slug: run_child("fec", db, slug, str(VAR)) for slug in ("bench-big", "bench-small")}
        for db in ("sqlite", "postgresql")
    }

    print("(b) posting throughput on PostgreSQL…", flush=True)
    fresh_pg_database(PGBENCH_DB)
    subprocess.run(
        ["pgbench", "-h", "127.0.0.1", "-U", "postgres", "-i", "-s", "8", "-q", PGBENCH_DB],
        check=True, capture_output=True,
    )  # fmt: skip
    ids = run_child("post-setup", "8")["commons_ids"]
    results["b"] = {}
    for clients in (1, 8):
        ours = posting_throughput(ids[:clients], args.duration)
        theirs = pgbench(clients, args.duration)
        results["b"][f"{clients}_workers"] = {
            "entry_post_per_s": ours,
            "pgbench_tps": theirs,
            "ratio": ours / theirs,
        }
    one_book = posting_throughput([ids[0]] * 8, args.duration)
    results["b"]["8_workers_one_book"] = {"entry_post_per_s": one_book}
    psql("postgres", f"DROP DATABASE IF EXISTS {PGBENCH_DB} WITH (FORCE)")

    report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWritten {RESULTS.relative_to(ROOT)}")


def fec_verify_only(lines: int) -> None:
    """Issue 12's FEC and verify goals alone, on PostgreSQL, into their own results file."""
    VAR.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "lines": lines,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "loadavg_at_start": os.getloadavg(),
        },
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    print(f"Loading {lines:,} lines into PostgreSQL (verify timed after the load)…", flush=True)
    fresh_pg_database(PG_DB)
    started = time.perf_counter()
    results["load"] = run_child("load", "postgresql", str(lines))
    results["load_wall_s"] = time.perf_counter() - started
    big = results["load"]["bench-big"]
    print(f"  {big['lines']:,} lines loaded in {big['load_s']:.1f} s; verify {big['verify_s']:.2f} s "
          f"(goal ≤ 5 s on 1,000,000), problems: {len(big['verify_problems'])}", flush=True)  # fmt: skip
    results["fec"] = {slug: run_child("fec", "postgresql", slug, str(VAR))
                      for slug in ("bench-big", "bench-small")}  # fmt: skip
    for slug, item in results["fec"].items():
        print(f"  FEC {slug}: {item['lines']:,} lines {item['lines_per_s']:,.0f} lines/s, "
              f"COPY … TO CSV {item['copy_csv']['lines_per_s']:,.0f} lines/s, ratio "
              f"{item['ratio_vs_copy']:.2f} (goal ≥ 0.5); RSS +{item['rss_delta_mib']:.1f} MiB "
              f"(peak {item['rss_peak_mib']:.1f})", flush=True)  # fmt: skip
    results["machine"]["loadavg_at_end"] = os.getloadavg()
    path = RESULTS.with_name("ledger-fec-verify.json")
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"Written {path.relative_to(ROOT)}")


def report(results: dict) -> None:
    a, b, c = results["a"], results["b"], results["c"]
    print(
        f"\n(a) balance sheet, {results['lines']:,} lines (goal: ours ≥ 20× faster than ledger bal)"
    )
    print(f"    ledger bal            median {a['ledger_bal']['median_s'] * 1000:10.1f} ms")
    for db in ("sqlite", "postgresql"):
        print(f"    Federage {db:<12} median {a[db]['median_s'] * 1000:10.2f} ms   "
              f"→ {a[db]['ratio_vs_ledger']:,.0f}× faster")  # fmt: skip
    print("(b) posting throughput on PostgreSQL (goal: entry_post / pgbench ≥ 0.5)")
    for key in ("1_workers", "8_workers"):
        item = b[key]
        print(f"    {key.replace('_', ' '):<10} entry_post {item['entry_post_per_s']:8.0f}/s   "
              f"pgbench {item['pgbench_tps']:8.0f} tps   ratio {item['ratio']:.2f}")  # fmt: skip
    print(
        f"    8 workers, one book: entry_post {b['8_workers_one_book']['entry_post_per_s']:.0f}/s"
    )
    print("(c) FEC export (goal ≥ 100,000 lines/s, memory flat)")
    for db in ("sqlite", "postgresql"):
        for slug in ("bench-big", "bench-small"):
            item = c[db][slug]
            print(f"    {db:<10} {item['lines']:>9,} lines  {item['lines_per_s']:>10,.0f} lines/s  "
                  f"peak RSS {item['rss_peak_mib']:6.1f} MiB (before export {item['rss_before_mib']:.1f})")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main()
