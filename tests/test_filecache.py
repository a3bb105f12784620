"""The check cache (generator/core/filecache.py): with entries kept, `candor check` and the
build report exactly what they report without them, at every "now", after every kind of
change, and whatever became of the entries."""

from __future__ import annotations

import contextlib
import pickle
import re
import shutil
import sqlite3
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import test_incremental
from click.testing import CliRunner
from test_incremental import ADDED
from test_synth import _synth

from generator.cli import main
from generator.core import cache, filecache, project
from generator.core.config import load_settings
from generator.core.errors import Problem
from generator.core.load import LoadedFile
from generator.core.project import load_project
from generator.rules import ClockRead, Context, fixed_problems
from generator.rules import events as event_rules

ROOT = Path(__file__).resolve().parent.parent
# The build cache's tests' site: the example with an open incident, a postmortem due and
# maintenance ahead.
example = test_incremental.example
NOW = "2026-11-23T12:00:00Z"
SYNTH_NOW = "2026-12-01T12:00:00Z"
# Rules whose findings change with "now": the comparisons below must see them come and go.
CLOCK_RULES = {"future-update", "stale", "no-next-update", "missed-next-update"}


def check(config: Path, now: str, cached: bool, fmt: str = "text") -> str:
    env = {cache.CACHE_ENV: "on" if cached else "off", cache.CACHE_DIR_ENV: "", "CANDOR_NOW": ""}
    args = ["check", "--config", str(config), "--now", now, "--format", fmt]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return f"exit {result.exit_code}\n{result.output}"


def database(config: Path) -> Path:
    return config.parent / cache.DEFAULT_DIR / filecache.DATABASE


def entries(config: Path, folder: Path | None = None) -> set[str]:
    """The keys of the check cache's entries (in `folder` when the cache was moved there)."""
    path = folder / filecache.DATABASE if folder else database(config)
    if not path.exists():
        return set()
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {key for (key,) in db.execute("SELECT key FROM entries")}


def entries_read(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """From now on, the path of each file whose entry is read from the database."""
    read: list[Path] = []
    real_get = filecache.FileCache._get

    def counted(self: filecache.FileCache, key: str, path: Path, raw: bytes, whole: bool) -> object:
        read.append(path)
        return real_get(self, key, path, raw, whole)

    monkeypatch.setattr(filecache.FileCache, "_get", counted)
    return read


def same_warm_and_cold(config: Path, now: str) -> str:
    """Check with the cache and without, as text and json: the outputs must match."""
    for fmt in ("json", "text"):
        warm = check(config, now, cached=True, fmt=fmt)
        assert warm == check(config, now, cached=False, fmt=fmt), (now, fmt)
    return warm


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    _synth().generate(out, 120, seed=5, now=SYNTH_NOW)
    return out / "mkdocs.yml"


def moments_inside(config: Path, count: int) -> list[str]:
    """Five minutes and three hours after the first update of a few incidents: each is
    open then, or its next update is late, and later updates are in the future."""
    found = []
    for path in sorted((config.parent / "incidents").glob("*.yaml"))[-count:]:
        match = re.search(r"^\s*- at: \"?([0-9T:+Z-]+)", path.read_text(encoding="utf-8"), re.M)
        assert match, path
        at = datetime.fromisoformat(match.group(1).replace("Z", "+00:00"))
        found += [(at + timedelta(minutes=m)).isoformat() for m in (5, 75, 180)]
    return found


@pytest.mark.parametrize("site", ["example", "history"])
def test_clock_rules_run_at_every_now(site: str, request: pytest.FixtureRequest) -> None:
    """The cache is filled at one moment and read at others: each check equals a check
    without the cache at that moment, so no finding of a rule that reads "now" is kept."""
    config: Path = request.getfixturevalue(site)
    first = NOW if site == "example" else SYNTH_NOW
    later = (datetime.fromisoformat(first.replace("Z", "+00:00")) + timedelta(days=3)).isoformat()
    nows = [first, later, *moments_inside(config, 4)]
    if (config.parent / cache.DEFAULT_DIR).exists():
        shutil.rmtree(config.parent / cache.DEFAULT_DIR)
    check(config, first, cached=True)
    kept = entries(config)
    assert len(kept) == len(list((config.parent / "incidents").glob("*.yaml")))
    outputs = {now: same_warm_and_cold(config, now) for now in nows}
    assert entries(config) == kept, "checks at other moments add no entry"
    seen = {rule for text in outputs.values() for rule in CLOCK_RULES if f"[{rule}]" in text}
    # The moments were chosen so that the clock's rules do fire: the comparison means something.
    assert "future-update" in seen and len(seen) >= 2, seen
    assert len(set(outputs.values())) >= 3


def test_edits_config_and_switches(example: Path) -> None:
    """After each change, a check with the cache reports what one without it does."""
    incidents = example.parent / "incidents"
    same_warm_and_cold(example, NOW)
    before = entries(example)

    sorry = incidents / "2026-11-24-sorry.yaml"
    sorry.write_text(
        "title: Slow sign-in TODO\nimpact: minor\ncomponents: [auth]\nupdates:\n"
        "  - at: 2026-11-22T10:00:00Z\n    status: resolved\n"
        "    message: We apologize for any inconvenience this may have caused. Sign-in was "
        "slow because of a recieved backlog. No data was lost.\n",
        encoding="utf-8",
    )
    text = same_warm_and_cold(example, NOW)
    assert "non-apology" in text and "placeholder" in text
    added = entries(example) - before
    assert len(added) == 1, "one new file, one new entry; the others are reused"

    # A file's own switch, then the site's.
    sorry.write_text("ignore: [non-apology]\n" + sorry.read_text(encoding="utf-8"), "utf-8")
    text = same_warm_and_cold(example, NOW)
    assert "non-apology" not in text
    config = example.read_text(encoding="utf-8")
    example.write_text(config.replace("  - candor:\n", "  - candor:\n      ignore: [spelling]\n"))
    same_warm_and_cold(example, NOW)

    # A component the files name disappears from the config.
    example.write_text(config.replace("        - id: auth\n", "        - id: auth-gone\n"))
    text = same_warm_and_cold(example, NOW)
    assert "unknown-component" in text

    # An edit that breaks the YAML, then the model, then fixes both.
    sorry.write_text("title: [unclosed\n", encoding="utf-8")
    same_warm_and_cold(example, NOW)
    sorry.write_text("title: Slow sign-in\nimpact: mayor\nupdates: []\n", encoding="utf-8")
    assert "invalid-value" in same_warm_and_cold(example, NOW)
    sorry.unlink()
    example.write_text(config)
    assert same_warm_and_cold(example, NOW) == check(example, NOW, cached=True, fmt="text")


def test_duplicate_ids_are_keyed(example: Path) -> None:
    """A file's entry depends on whether another file has its id (which drops its model)."""
    same_warm_and_cold(example, NOW)
    name = next(iter(ADDED))
    twin = example.parent / "incidents" / name.replace(".yaml", ".yml")
    shutil.copy(example.parent / "incidents" / name, twin)
    assert "duplicate-id" in same_warm_and_cold(example, NOW)
    twin.unlink()
    assert "duplicate-id" not in same_warm_and_cold(example, NOW)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda key, data, other: data[: len(data) // 2],
        lambda key, data, other: data[:-1] + bytes([data[-1] ^ 1]),
        lambda key, data, other: b"garbage",
        # A well-formed entry of the wrong shape: its digest matches, its content does not.
        lambda key, data, other: filecache.seal(key, pickle.dumps(("not", "a file"))),
        # Another file's entry, whole, under this file's key.
        lambda key, data, other: other,
    ],
    ids=["cut", "flipped", "garbage", "wrong-shape", "moved"],
)
def test_spoilt_entries_are_parsed_again(example: Path, spoil: object) -> None:
    """Both a file's entry and its kept findings (`checked`) are spoilt: the check reports
    what it reports without the cache, and writes good ones in their place."""
    clean = check(example, NOW, cached=False, fmt="json")
    check(example, NOW, cached=True)
    tables = ("entries", "checked")
    with contextlib.closing(sqlite3.connect(database(example))) as db, db:
        for table in tables:
            rows = db.execute(f"SELECT key, data FROM {table}").fetchall()
            others = [data for _, data in rows[1:] + rows[:1]]
            spoilt = [
                (spoil(key, data, other), key)  # type: ignore[operator]
                for (key, data), other in zip(rows, others, strict=True)
            ]
            db.executemany(f"UPDATE {table} SET data = ? WHERE key = ?", spoilt)
    assert check(example, NOW, cached=True, fmt="json") == clean
    # Each spoilt entry was replaced by a good one.
    assert check(example, NOW, cached=True, fmt="json") == clean
    files = len(list(example.parent.glob("incidents/*.yaml")))
    with contextlib.closing(sqlite3.connect(database(example))) as db:
        for table in tables:
            kept = [data for (data,) in db.execute(f"SELECT data FROM {table}")]
            assert len(kept) == files and all(data.startswith(filecache.MAGIC) for data in kept)


@pytest.mark.parametrize("spoil", [b"", b"not a database at all" * 100, b"SQLite format 3\x00"])
def test_spoilt_database_is_started_afresh(example: Path, spoil: bytes) -> None:
    clean = check(example, NOW, cached=False, fmt="json")
    check(example, NOW, cached=True)
    for extra in database(example).parent.glob(filecache.DATABASE + "-*"):
        extra.unlink()
    database(example).write_bytes(spoil)
    assert check(example, NOW, cached=True, fmt="json") == clean
    assert len(entries(example)) == len(list(example.parent.glob("incidents/*.yaml")))
    assert check(example, NOW, cached=True, fmt="json") == clean


def test_database_damaged_inside_is_started_afresh(history: Path) -> None:
    """A database whose pages a crash spoilt (its header intact): the check says what it
    says without the cache, with no trace of the damage, and the next one finds entries."""
    shutil.rmtree(history.parent / cache.DEFAULT_DIR, ignore_errors=True)
    clean = check(history, SYNTH_NOW, cached=False, fmt="json")
    check(history, SYNTH_NOW, cached=True)
    data = bytearray(database(history).read_bytes())
    assert len(data) > 8 * 4096
    for offset in range(2 * 4096, len(data), 3 * 4096):
        data[offset : offset + 4096] = bytes(range(256)) * 16
    database(history).write_bytes(bytes(data))
    with (
        contextlib.closing(sqlite3.connect(database(history))) as db,
        pytest.raises(sqlite3.DatabaseError, match="malformed"),
    ):
        db.execute("SELECT count(*) FROM entries").fetchone()
    assert check(history, SYNTH_NOW, cached=True, fmt="json") == clean
    assert check(history, SYNTH_NOW, cached=True, fmt="json") == clean
    assert len(entries(history)) == 120


def test_build_project_from_the_cache(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """load_project (the build's) with entries gives the same problems and models."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, "")
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    cold = load_project(example, NOW)
    monkeypatch.setenv(cache.CACHE_ENV, "on")
    load_project(example, NOW)
    warm = load_project(example, NOW)
    assert entries(example)
    assert warm.problems == cold.problems
    assert [e.model_dump() for e in warm.events] == [e.model_dump() for e in cold.events]
    assert [(e.id, e.file) for e in warm.events] == [(e.id, e.file) for e in cold.events]
    assert [f.path for f in warm.files] == [f.path for f in cold.files]


def test_build_takes_kept_findings_while_they_hold(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's load_project takes the clock's findings a check or build before it kept:
    where they hold, no rule that reads "now" runs on the file, whose data and text are
    then not read back; at every moment, it finds what it finds without the cache."""
    shutil.rmtree(history.parent / cache.DEFAULT_DIR, ignore_errors=True)
    monkeypatch.setenv(cache.CACHE_DIR_ENV, "")
    ran: list[str] = []

    def counted(f: LoadedFile, ctx: Context) -> list[Problem]:
        ran.append(f.rel)
        return []

    import generator.rules as rules

    monkeypatch.setattr(rules, "CLOCK_STRUCTURE_RULES", (*rules.CLOCK_STRUCTURE_RULES, counted))

    def both(now: str) -> list[Problem]:
        monkeypatch.setenv(cache.CACHE_ENV, "off")
        cold = load_project(history, now)
        monkeypatch.setenv(cache.CACHE_ENV, "on")
        ran.clear()
        warm = load_project(history, now)
        assert warm.problems == cold.problems, now
        assert [e.model_dump() for e in warm.events] == [e.model_dump() for e in cold.events]
        return warm.problems

    both(SYNTH_NOW)  # fills the cache
    assert len(ran) == 120
    # Where no rule runs, a file's data and text are not read back either.
    decoded: list[str] = []
    real = filecache.deferred

    def counted_text(text: str) -> object:
        decoded.append(text)
        return real(text)

    monkeypatch.setattr(filecache, "deferred", counted_text)
    both(SYNTH_NOW)
    assert ran == [] and decoded == []
    both("2026-12-02T12:00:00Z")
    assert ran == [] and decoded == []
    found = set()
    for now in moments_inside(history, 3):
        found |= {p.rule for p in both(now)} & CLOCK_RULES
        assert 0 < len(set(ran)) < 10, ran
    # The moments make the clock's rules fire: the comparisons above mean something.
    assert "future-update" in found, found


def test_an_incident_is_identified_by_its_files_key(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build cache names an incident by the key of the file it was read from (which the
    file cache knows anyway), the same whether the model was made or read back; a byte more
    in the file, or the cache off, names it otherwise."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, "")
    monkeypatch.setenv(cache.CACHE_ENV, "on")
    made = {e.id: e.identity for e in load_project(example, NOW).events}
    read = {e.id: e.identity for e in load_project(example, NOW).events}
    assert made == read and len(set(made.values())) == len(made)
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in made.values())

    first = sorted((example.parent / "incidents").glob("*.yaml"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    again = {e.id: e.identity for e in load_project(example, NOW).events}
    assert [i for i in made if made[i] != again[i]] == [first.stem]

    monkeypatch.setenv(cache.CACHE_ENV, "off")
    plain = load_project(example, NOW).events
    assert [e.identity for e in plain] == [e.model_dump_json() for e in plain]


def test_entries_hold_no_text(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry keeps neither the file's text nor its places: both come back from the file
    itself, with a byte-order mark and Windows line breaks read as loading reads them, so
    that every problem's line and column are those of a check without the cache."""
    incidents = example.parent / "incidents"
    name = next(iter(ADDED))
    text = (incidents / name).read_text(encoding="utf-8")
    comment = "# only the text holds this line\n"
    broken = comment + text.replace("impact: ", "impact: mayor\nignored: ", 1)
    odd = incidents / "2026-11-25-crlf.yaml"
    odd.write_bytes(b"\xef\xbb\xbf" + broken.replace("\n", "\r\n").encode())
    shutil.rmtree(example.parent / cache.DEFAULT_DIR, ignore_errors=True)
    check(example, NOW, cached=True)
    with contextlib.closing(sqlite3.connect(database(example))) as db:
        kept = [data for (data,) in db.execute("SELECT data FROM entries")]
    assert len(kept) == len(list(incidents.glob("*.y*ml")))
    assert not any(comment.strip().encode() in data for data in kept)
    out = same_warm_and_cold(example, NOW)
    assert re.search(r"2026-11-25-crlf\.yaml:\d+:\d+: error: `impact` is `mayor`", out), out
    monkeypatch.setenv(cache.CACHE_DIR_ENV, "")
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    cold = load_project(example, NOW)
    monkeypatch.setenv(cache.CACHE_ENV, "on")
    warm = load_project(example, NOW)
    # The build's loaded files keep no source either way; what it found there, at the
    # same places, is what counts.
    assert warm.problems == cold.problems
    assert any(p.file.endswith("crlf.yaml") and p.line for p in warm.problems)
    odd.unlink()


def test_second_process_uses_and_fills_the_cache(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long history is checked in two processes: both read and write entries."""
    monkeypatch.setattr(project, "PARALLEL_FROM", 10)
    shutil.rmtree(history.parent / cache.DEFAULT_DIR, ignore_errors=True)
    outputs = [same_warm_and_cold(history, SYNTH_NOW) for _ in range(2)]
    assert outputs[0] == outputs[1]
    assert len(entries(history)) == 120


def test_off_and_moved(example: Path, tmp_path: Path) -> None:
    env = {"CANDOR_NOW": NOW, cache.CACHE_DIR_ENV: ""}
    args = ["check", "--config", str(example)]
    CliRunner().invoke(main, args, env={**env, cache.CACHE_ENV: "off"})
    assert not (example.parent / cache.DEFAULT_DIR).exists()
    moved = tmp_path / "elsewhere"
    CliRunner().invoke(main, args, env={**env, cache.CACHE_DIR_ENV: str(moved)})
    files = list(example.parent.glob("incidents/*.yaml"))
    assert len(entries(example, moved)) == len(files)
    assert not (example.parent / cache.DEFAULT_DIR).exists()


def test_cached_rules_cannot_read_the_clock(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rules whose findings are kept are handed no "now": one that reads it fails."""
    settings = load_settings(example)
    fixed = Context(settings.candor, None)
    with pytest.raises(ClockRead):
        _ = fixed.now
    path = example.parent / "incidents" / next(iter(ADDED))
    loaded = filecache.FileCache(None, settings.candor, settings.tz).load(
        path, path.name, settings.tz, None, lambda f: fixed_problems(f, fixed)
    )[0]
    assert isinstance(loaded, LoadedFile) and loaded.event is not None
    import generator.rules as rules

    monkeypatch.setattr(rules, "MODEL_RULES", (*rules.MODEL_RULES, event_rules.check_stale))
    with pytest.raises(ClockRead):
        fixed_problems(loaded, fixed)


def test_cache_folder_ignores_itself_in_git(example: Path) -> None:
    """A site whose .gitignore does not list the cache: a check leaves `git status` clean."""
    site = example.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=site, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "site")
    check(example, NOW, cached=True)
    assert entries(example)
    assert git("status", "--porcelain") == ""


def test_kept_in_memory_a_second_load_looks_up_only_the_changed_file(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`candor serve` keeps its last run's entries in memory: a run after one changed file
    takes the others from there, and finds what a run from the database finds."""
    monkeypatch.setenv(cache.CACHE_DIR_ENV, "")
    monkeypatch.setenv(cache.CACHE_ENV, "on")
    edited = example.parent / "incidents" / "2026-11-12-slow-api-responses-us-east.yaml"
    filecache.keep_in_memory()
    try:
        load_project(example, NOW)  # fills the memory
        edited.write_text(edited.read_text(encoding="utf-8").replace("We ", "We now ", 1))
        with monkeypatch.context() as patch:
            looked_up = entries_read(patch)
            kept = load_project(example, NOW)
        assert looked_up == [edited]
    finally:
        filecache.keep_in_memory(False)
    fresh = load_project(example, NOW)
    assert kept.problems == fresh.problems
    assert [e.model_dump() for e in kept.events] == [e.model_dump() for e in fresh.events]
    (changed,) = [e for e in kept.events if e.id == edited.stem]
    assert any("We now " in update.message for update in changed.updates)


def test_kept_findings_spare_loading_while_they_hold(
    history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check at a moment where every file's kept findings still hold reads no entry (no
    model is unpickled, no rule runs); a moment inside the newest incident's timeline reads
    its entry and those of the few files whose findings change then. Either way it reports
    what a check without the cache does."""
    shutil.rmtree(history.parent / cache.DEFAULT_DIR, ignore_errors=True)
    check(history, SYNTH_NOW, cached=True)
    read = entries_read(monkeypatch)
    a_day_later = "2026-12-02T12:00:00Z"
    assert check(history, a_day_later, cached=True) == check(history, a_day_later, cached=False)
    assert read == []
    (inside,) = moments_inside(history, 1)[:1]
    assert check(history, inside, cached=True) == check(history, inside, cached=False)
    newest = sorted((history.parent / "incidents").glob("*.yaml"))[-1]
    assert newest in read and len(set(read)) < 10, read
