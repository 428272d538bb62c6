"""`cminbox import FILE`: JSONL and CSV exports; bad rows reported by line, good rows imported."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from cminbox.importer import BadRow, NotImportable, parse_time, read_file
from cminbox.store import Store
from test_cli import cminbox

CONFIG = '[workspaces.brioche]\nname = "Brioche & Co"\n'


def rows(path):
    items = list(read_file(path))
    return [i for i in items if not isinstance(i, BadRow)], [i for i in items if isinstance(i, BadRow)]


def test_jsonl_rows_become_messages_and_bad_lines_are_named(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "fb-1", "network": "facebook", "kind": "comment", "text": "Toujours pas reçu !",
                    "created_at": "2025-11-24T16:00:00Z", "author": "Julie M.", "author_reach": "1200",
                    "url": "https://facebook.com/brioche/posts/1?comment_id=9"}),
        "",
        "{not json",
        json.dumps({"text": "no date"}),
        json.dumps({"text": "bad kind", "created_at": 1764000000, "kind": "tweet"}),
        json.dumps({"text": "Great bread", "created_at": 1764000000123, "kind": "review", "rating": "4,5"}),
        json.dumps(["a", "list"]),
    ]), encoding="utf-8")
    good, bad = rows(path)
    assert [m.native_id for m in good][0] == "fb-1"
    first = good[0]
    assert (first.network, first.kind, first.author_name, first.author_reach) == ("facebook", "comment", "Julie M.", 1200)
    assert first.created_at == 1764000000.0 and first.uri == first.url
    assert good[1].created_at == 1764000000.123 and good[1].rating == 4.5
    assert [(b.line, b.reason.split()[0]) for b in bad] == [(3, "not"), (4, "created_at"), (5, "kind"), (7, "not")]
    assert bad[0].reason == "not valid JSON (expecting property name enclosed in double quotes at column 2)"


def test_csv_with_semicolons_a_bom_and_a_multiline_text(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        "\ufefftext;created_at;network;author_name\n"
        '"Bonjour,\nma commande n\'est jamais arrivée";2025-11-24 16:00;instagram;Marc\n'
        ";2025-11-24 15:00;instagram;Empty\n"
        "Merci !;hier;x;Tom\n"
        "Super accueil;2025-11-24T17:00:00+01:00;google;Léa\n".encode("utf-8")
    )
    good, bad = rows(path)
    assert [m.author_name for m in good] == ["Marc", "Léa"]
    assert good[0].text == "Bonjour,\nma commande n'est jamais arrivée" and good[0].created_at == 1764000000.0
    assert good[1].created_at == 1764000000.0  # 17:00 in UTC+1
    assert [(b.line, "empty" in b.reason or "date" in b.reason) for b in bad] == [(4, True), (5, True)]


def test_rows_without_id_get_a_stable_one(tmp_path):
    path = tmp_path / "e.jsonl"
    path.write_text(json.dumps({"text": "hello", "created_at": 1764000000}) + "\n")
    assert rows(path)[0][0].native_id == rows(path)[0][0].native_id


@pytest.mark.parametrize("first_line, missing", [
    ("hello,2025-01-01", "text and created_at"),
    ("sujet;date;auteur", "text"),
    ("text,author", "created_at"),
    ("", "text and created_at"),
])
def test_a_csv_without_a_usable_header_is_refused_whole(tmp_path, first_line, missing):
    path = tmp_path / "e.csv"
    separator = ";" if ";" in first_line else ","
    path.write_text(first_line + "\n" + separator.join(["Bonjour", "2025-01-01", "x"]) + "\n")
    with pytest.raises(NotImportable) as refused:
        read_file(path)
    assert f"must name the columns, including {missing} (it has " in str(refused.value)


def test_the_command_refuses_a_csv_without_a_header_and_stores_nothing(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    path = tmp_path / "e.csv"
    path.write_text("Bonjour,2025-01-01\nMerci,2025-01-02\n")
    db = tmp_path / "db.sqlite"
    done = cminbox("import", str(path), "--config", str(config), "--db", str(db))
    assert done.returncode == 1
    assert "the first line must name the columns, including text and created_at (it has 'Bonjour', '2025-01-01')" in done.stderr
    assert "nothing was imported" in done.stderr and "bad row" not in done.stderr + done.stdout
    assert not db.exists()


def test_parse_time():
    assert parse_time("2025-11-24T16:00:00Z") == 1764000000.0
    assert parse_time(1764000000000) == 1764000000.0
    with pytest.raises(ValueError):
        parse_time("")


def test_the_command_imports_reports_and_never_duplicates(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    db = tmp_path / "x.db"
    export = tmp_path / "export.jsonl"
    export.write_text(
        json.dumps({"text": "Toujours pas reçu ma commande", "created_at": 1764000000, "network": "facebook"}) + "\n"
        + "{broken\n"
        + json.dumps({"text": "Merci !", "created_at": 1764000100}) + "\n"
    )
    out = cminbox("import", str(export), "--config", str(config), "--db", str(db))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "export.jsonl line 2: not valid JSON" in out.stderr
    assert "2 imported into brioche, 1 bad row skipped" in out.stdout
    again = cminbox("import", str(export), "--config", str(config), "--db", str(db))
    assert "0 imported into brioche, 2 already there" in again.stdout
    with Store(db) as store:
        assert store.folder_counts(1)["all"] == 2
        assert {s.key: s.type for s in store.sources()} == {"import-brioche": "import"}


def test_the_command_needs_a_workspace_and_a_file(tmp_path):
    out = cminbox("import", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "x.db"))
    assert out.returncode == 2 and "no such file" in out.stderr
    export = tmp_path / "e.jsonl"
    export.write_text("")
    out = cminbox("import", str(export), "--db", str(tmp_path / "x.db"))
    assert out.returncode == 2 and "--workspace" in out.stderr


def test_an_unknown_workspace_is_refused_once_there_are_workspaces(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    db = tmp_path / "x.db"
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps({"text": "Toujours pas reçu", "created_at": 1764000000}) + "\n")
    out = cminbox("import", str(export), "--workspace", "brioch", "--config", str(config), "--db", str(db))
    assert out.returncode == 2 and "no workspace 'brioch' (known: brioche)" in out.stderr
    with Store(db) as store:
        assert [w.slug for w in store.workspaces()] == []  # no third brand made of a typo
    # With no config and an empty database, a first import names its workspace.
    fresh = tmp_path / "fresh.db"
    out = cminbox("import", str(export), "--workspace", "velo", "--db", str(fresh))
    assert out.returncode == 0 and "1 imported into velo" in out.stdout
    out = cminbox("import", str(export), "--workspace", "velos", "--db", str(fresh))
    assert out.returncode == 2 and "known: velo" in out.stderr


def test_an_import_of_several_batches_stores_each_row_once(tmp_path, monkeypatch, capsys):
    """Rows are stored a batch at a time (`IMPORT_BATCH`, one transaction each); a row repeated
    in a later batch is counted as already there, not stored twice."""
    from cminbox import headless
    from cminbox.config import Config

    monkeypatch.setattr(headless, "IMPORT_BATCH", 4)
    export = tmp_path / "export.jsonl"
    ids = [f"m{i}" for i in range(10)] + ["m1", "m9"]  # m1 again in the third batch, m9 in the same one
    export.write_text("".join(
        json.dumps({"id": native, "text": f"message {native}", "created_at": 1764000000 + n, "network": "x"}) + "\n"
        for n, native in enumerate(ids)
    ))  # fmt: skip
    db = tmp_path / "x.db"
    assert headless.import_file(Config(), db, export, "brioche") == 0
    assert "10 imported into brioche, 2 already there" in capsys.readouterr().out
    with Store(db) as store:
        assert store.folder_counts(1)["all"] == 10
        assert store.conn.execute("SELECT count(DISTINCT native_id) FROM messages").fetchone()[0] == 10


def test_an_import_keeps_the_brands_business_hours(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[workspaces.velo]\nname = "Vélo Vert"\nbusiness_hours = "Tue-Sat 10:00-19:00"\n'
                      'timezone = "America/Montreal"\n')
    export = tmp_path / "e.jsonl"
    export.write_text(json.dumps({"text": "Ma commande ?", "created_at": 1764000000}) + "\n")
    db = tmp_path / "x.db"
    assert cminbox("import", str(export), "--config", str(config), "--db", str(db)).returncode == 0
    with Store(db) as store:
        [workspace] = store.workspaces()
        assert (workspace.business_hours, workspace.timezone) == ("Tue-Sat 10:00-19:00", "America/Montreal")


def test_spreadsheet_dates_are_read_in_the_brands_time_zone(tmp_path, time_zone):
    # On a server in UTC (or a laptop abroad), "24/11/2026 14:05" from a Montréal brand's export
    # is 14:05 in Montréal: read in the computer's zone it was five hours off. A brand without a
    # time zone reads it in the computer's, as before; ISO 8601 without a zone stays UTC.
    time_zone("UTC")
    config = tmp_path / "config.toml"
    config.write_text('[workspaces.velo]\nname = "Vélo"\ntimezone = "America/Montreal"\n\n[workspaces.brioche]\nname = "B"\n')
    export = tmp_path / "export.csv"
    export.write_text("date;message\n24/11/2026 14:05;Toujours pas reçu\n2026-11-24T14:05;ISO\n", encoding="utf-8")
    times = {}
    for workspace in ("velo", "brioche"):  # (each its own database: one file goes to one brand)
        db = tmp_path / f"{workspace}.db"
        assert cminbox("import", str(export), "--workspace", workspace, "--config", str(config), "--db", str(db),
                       env={"TZ": "UTC"}).returncode == 0
        with Store(db) as store:
            times.update(store.conn.execute(
                "SELECT w.slug || ' ' || m.text, m.created_at FROM messages m JOIN workspaces w ON w.id = m.workspace_id"
            ).fetchall())
    montreal = datetime(2026, 11, 24, 14, 5, tzinfo=ZoneInfo("America/Montreal")).timestamp()
    utc = datetime(2026, 11, 24, 14, 5, tzinfo=timezone.utc).timestamp()
    assert times == {"velo Toujours pas reçu": montreal, "velo ISO": utc, "brioche Toujours pas reçu": utc, "brioche ISO": utc}


def test_an_export_imported_again_under_another_brand_stays_with_the_first(tmp_path):
    # An agency CM imported the cheese shop's export, then the same file with --workspace velo by
    # mistake: the cheese complaints landed in the bike brand's inbox and report. Rows another
    # workspace holds (same id from its imports, or same address) are refused and said; the
    # file's new rows still come in.
    config = tmp_path / "config.toml"
    config.write_text('[workspaces.fromagerie]\nname = "Fromagerie"\ntimezone = "Europe/Paris"\n\n'
                      '[workspaces.velo]\nname = "Vélo Léger"\ntimezone = "America/Montreal"\n')  # (ids must not hang on the zone)
    db = tmp_path / "x.db"
    cheese = tmp_path / "fromagerie.csv"
    cheese.write_text("date;auteur;message;lien\n"
                      "24/11/2026 14:05;Julie;Toujours pas reçu ma commande;https://facebook.com/p/1\n"
                      "24/11/2026 15:00;Marc;Le camembert était moisi;\n", encoding="utf-8")
    run = lambda file, workspace: cminbox("import", str(file), "--workspace", workspace, "--config", str(config), "--db", str(db))  # noqa: E731
    assert run(cheese, "fromagerie").returncode == 0
    wrong = run(cheese, "velo")
    assert wrong.returncode == 1 and "0 imported into velo, 2 in another workspace" in wrong.stdout
    assert "2 rows already in workspace fromagerie, not imported into velo" in wrong.stderr
    both = tmp_path / "velo.csv"  # the bike shop's export, which shares one post's link with the cheese shop's
    both.write_text("date;auteur;message;lien\n"
                    "24/11/2026 16:00;Karim;Mon vélo est tombé en panne;\n"
                    "24/11/2026 17:00;Julie;Toujours pas reçu ma commande;https://facebook.com/p/1?utm_source=x\n", encoding="utf-8")
    mixed = run(both, "velo")
    assert mixed.returncode == 1 and "1 imported into velo, 1 in another workspace" in mixed.stdout
    with Store(db) as store:
        texts = store.conn.execute(
            "SELECT w.slug, m.text FROM messages m JOIN workspaces w ON w.id = m.workspace_id ORDER BY m.id"
        ).fetchall()
    assert texts == [("fromagerie", "Toujours pas reçu ma commande"), ("fromagerie", "Le camembert était moisi"),
                     ("velo", "Mon vélo est tombé en panne")]


def test_an_imported_dm_without_a_thread_has_its_reply_window_like_any_dm(tmp_path):
    # Messenger and Instagram allow an answer for 24 hours after the customer's last DM. A DM
    # imported without thread_id is in its author's conversation, so the list's "dm ⧗" and `E`
    # see the window the composer counts, from that person's latest DM.
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    db = tmp_path / "x.db"
    export = tmp_path / "export.jsonl"
    dm = {"network": "facebook", "kind": "dm"}
    export.write_text("\n".join(json.dumps(row) for row in [
        {**dm, "id": "a1", "text": "Bonjour, ma commande ?", "created_at": 1764000000, "author_handle": "julie.m"},
        {**dm, "id": "a2", "text": "Toujours rien…", "created_at": 1764003600, "author_handle": "julie.m"},
        {**dm, "id": "b1", "text": "Hello", "created_at": 1764001000, "author_name": "Tom"},
        {**dm, "id": "c1", "text": "Coucou", "created_at": 1764002000, "network": "instagram"},
        {**dm, "id": "t1", "text": "Dans un fil", "created_at": 1764002000, "thread_id": "t_99", "author_handle": "julie.m"},
        {**dm, "id": "i1", "text": "Coucou", "created_at": 1763990000, "network": "instagram", "author_handle": "julie.m"},
    ]) + "\n")
    assert cminbox("import", str(export), "--config", str(config), "--db", str(db)).returncode == 0
    with Store(db) as store:
        ids = dict(store.conn.execute("SELECT native_id, id FROM messages").fetchall())
        reply_by = store.reply_by(list(ids.values()))
        day = 86_400
        assert reply_by[ids["a1"]] == reply_by[ids["a2"]] == 1764003600 + day  # from Julie's last DM
        assert reply_by[ids["b1"]] == 1764001000 + day and reply_by[ids["c1"]] == 1764002000 + day
        assert reply_by[ids["t1"]] == 1764002000 + day  # a thread given is kept
        assert reply_by[ids["i1"]] == 1763990000 + day  # the same handle on Instagram: another conversation


# -- a stray quote in a CSV ------------------------------------------------------------------

SWALLOW_HEADER = "id;created_at;author_name;text\n"


def test_a_quote_never_closed_is_reported_and_the_rows_it_swallowed_are_read_again(tmp_path):
    path = tmp_path / "swallow.csv"
    path.write_text(
        SWALLOW_HEADER
        + 'q1;2026-11-20T10:00:00Z;Alice;"Le pain était ""top"" !\n'
        + 'q2;2026-11-20T11:00:00Z;Bob;"Pas reçu ma commande"\n'
        + 'q3;2026-11-20T12:00:00Z;Chloé;"Bonjour,\n\nq4;2026-11-20;commande 12;merci\nà bientôt"\n'
        + "".join(f"q{n};2026-11-20T13:00:00Z;Dan;Merci !\n" for n in range(5, 25)),  # the sniffer needs 90% alike
        encoding="utf-8",
    )
    good, bad = rows(path)
    assert [(b.line, b.reason) for b in bad] == [
        (2, "its quote is never closed: line 3 was read into its text; it is read again as a row")]
    assert [(m.native_id, m.text) for m in good] == [
        ("q2", "Pas reçu ma commande"),
        # A text's own lines stay in it, even one cut in four cells with a date: not the file's kind of date.
        ("q3", "Bonjour,\n\nq4;2026-11-20;commande 12;merci\nà bientôt"),
    ] + [(f"q{n}", "Merci !") for n in range(5, 25)]


def test_rows_swallowed_by_a_quote_are_read_again_whole_and_reported_by_line(tmp_path):
    path = tmp_path / "swallow.csv"
    path.write_text(
        SWALLOW_HEADER
        + 'q1;2026-11-20T10:00:00Z;Alice;"Le pain\n'
        + "était top\n"
        + 'q2;2026-11-20T11:00:00Z;Bob;"Bonjour,\nma commande ?"\n'
        + "q3;hier;Chloé;Super\n"
        + 'q4;2026-11-20T13:00:00Z;Dan;"Merci"\n',
        encoding="utf-8",
    )
    good, bad = rows(path)
    assert [(m.native_id, m.text) for m in good] == [("q2", "Bonjour,\nma commande ?"), ("q4", "Merci")]
    assert [(b.line, b.reason.split(":")[0]) for b in bad] == [
        (2, "its quote is never closed"), (3, "text is missing or empty"), (6, "created_at 'hier' is not a date (ISO 8601, epoch seconds, or a spreadsheet's such as 24/11/2025 or 24/11/2025 15h04)")]
    assert "lines 3-4 were read into its text; they are read again as rows" in bad[0].reason


@pytest.mark.parametrize("end", ["\n", ""])
def test_a_quote_still_open_at_the_end_of_the_file_is_a_bad_row_not_text(tmp_path, end):
    path = tmp_path / "swallow.csv"
    path.write_text(
        "id;created_at;author_name;text;lang\n"
        + "q1;2026-11-20T10:00:00Z;Alice;Bon pain;fr\n"
        + 'q2;2026-11-20T11:00:00Z;Bob;"Unterminated quote row;fr' + end,
        encoding="utf-8",
    )
    good, bad = rows(path)
    assert [m.native_id for m in good] == ["q1"]
    assert [(b.line, b.reason) for b in bad] == [(3, "its quote is never closed (the file ends inside it)")]


def test_a_quote_that_swallows_more_than_the_csv_field_limit_is_still_a_bad_row(tmp_path):
    path = tmp_path / "big.csv"
    rest = "".join(f"m{n};2026-11-20T10:00:00Z;Fan {n};Super pain, merci beaucoup à toute l'équipe !\n"
                   for n in range(3000))  # about 200,000 characters, past csv's 131,072 a cell
    path.write_text(SWALLOW_HEADER + 'q1;2026-11-20T10:00:00Z;Alice;"Le pain\n' + rest, encoding="utf-8")
    good, bad = rows(path)
    assert [(b.line, b.reason.split(":")[0]) for b in bad] == [(2, "its quote is never closed")]
    assert len(good) == 3000 and good[-1].native_id == "m2999"


def test_the_command_reports_a_quote_never_closed_and_a_fixed_file_imports_the_rest(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    db = tmp_path / "x.db"
    path = tmp_path / "swallow.csv"
    alice = 'q1;2026-11-20T10:00:00Z;Alice;"Le pain était ""top"" !'
    bob = 'q2;2026-11-20T11:00:00Z;Bob;"Pas reçu ma commande"'
    path.write_text(SWALLOW_HEADER + alice + "\n" + bob + "\n", encoding="utf-8")
    out = cminbox("import", str(path), "--workspace", "brioche", "--config", str(config), "--db", str(db))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "swallow.csv line 2: its quote is never closed: line 3 was read into its text" in out.stderr
    assert "1 imported into brioche, 1 bad row skipped" in out.stdout
    path.write_text(SWALLOW_HEADER + alice + '"\n' + bob + "\n", encoding="utf-8")
    again = cminbox("import", str(path), "--workspace", "brioche", "--config", str(config), "--db", str(db))
    assert again.returncode == 0 and "1 imported into brioche, 1 already there" in again.stdout
    with Store(db) as store:
        texts = dict(store.conn.execute("SELECT native_id, text FROM messages").fetchall())
    assert texts == {"q1": 'Le pain était "top" !', "q2": "Pas reçu ma commande"}


def test_a_doubled_quote_past_the_sniffed_sample_is_one_quote(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(SWALLOW_HEADER + "".join(f'm{n};2026-11-20T10:00:00Z;Fan;"Bon pain"\n' for n in range(300))
                    + 'q1;2026-11-20T10:00:00Z;Alice;"Le pain était ""top"" !"\n', encoding="utf-8")
    good, bad = rows(path)
    assert not bad and good[-1].text == 'Le pain était "top" !'


# -- a JSON array ----------------------------------------------------------------------------


def test_a_json_array_of_objects_is_read_item_by_item(tmp_path):
    path = tmp_path / "spoke.json"
    path.write_text(json.dumps([
        {"id": "a", "text": "Toujours pas reçu", "created_at": "2025-11-24T16:00:00Z"},
        {"id": "b", "text": "no date"},
        ["not", "an object"],
        {"id": "c", "text": "Merci !", "created_at": 1764000000},
    ], indent=2), encoding="utf-8")
    good, bad = rows(path)
    assert [m.native_id for m in good] == ["a", "c"]
    assert [(b.line, b.reason) for b in bad] == [(7, "created_at is empty"), (11, "item 3 is not a JSON object")]


def test_a_json_array_broken_midway_keeps_the_items_before_and_says_where(tmp_path):
    path = tmp_path / "spoke.json"
    path.write_text('[{"id": "a", "text": "Bonjour", "created_at": 1764000000},\n'
                    ' {"id": "b", "text": "Salut" "created_at": 1764000000},\n'
                    ' {"id": "c", "text": "Merci", "created_at": 1764000000}]\n', encoding="utf-8")
    good, bad = rows(path)
    assert [m.native_id for m in good] == ["a"]
    assert [(b.line, b.reason) for b in bad] == [
        (2, "not valid JSON (expecting ',' delimiter at column 30); the rest of the array (item 2 on) cannot be read")]
    path.write_text('[{"id": "a", "text": "Bonjour", "created_at": 1764000000},\n]\n', encoding="utf-8")
    good, bad = rows(path)
    assert [m.native_id for m in good] == ["a"]
    assert [(b.line, b.reason) for b in bad] == [(2, "not valid JSON (a ',' before the array's closing ']')")]


@pytest.mark.parametrize("content", ['"just text"\n', '{\n  "text": "hi",\n  "created_at": 1764000000\n}\n', "<xml/>\n"])
def test_a_json_file_that_is_neither_jsonl_nor_an_array_is_refused_whole(tmp_path, content):
    path = tmp_path / "spoke.json"
    path.write_text(content)
    with pytest.raises(NotImportable) as refused:
        read_file(path)
    assert "expected JSONL, one object per line, or a JSON array of objects" in str(refused.value)


def test_the_command_imports_a_json_array(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    path = tmp_path / "spoke.json"
    path.write_text(json.dumps([{"text": "Toujours pas reçu", "created_at": 1764000000},
                                {"text": "Merci !", "created_at": 1764000100}]))
    out = cminbox("import", str(path), "--config", str(config), "--db", str(tmp_path / "x.db"))
    assert out.returncode == 0 and "2 imported into brioche" in out.stdout, out.stderr


def test_a_short_csv_whose_texts_span_lines_and_hold_separators_is_read(tmp_path):
    # Customers write paragraphs with commas and semicolons: guessed from the whole sample, such
    # a file looked like no CSV at all and was refused whole. The separator is the header's.
    path = tmp_path / "export.csv"
    path.write_text(
        "text;created_at;author_name\n"
        '"Bonjour,\nj\'ai commandé le 3; rien reçu, rien; pas de réponse.\nMerci";2025-11-24 16:00;Marc\n'
        '"Hello, ok; fine, thanks";2025-11-24 17:00;Léa\n',
        encoding="utf-8",
    )
    good, bad = rows(path)
    assert bad == [] and [m.author_name for m in good] == ["Marc", "Léa"]
    assert good[0].text.startswith("Bonjour,\nj'ai commandé le 3; rien reçu")


def test_a_jsonl_text_may_hold_a_line_separator_character(tmp_path):
    # U+2028 is valid inside a JSON string (and found in posts): only \n ends a JSONL line.
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"text": "ligne un\u2028ligne deux", "created_at": 1764000000}, ensure_ascii=False)
                    + "\n" + json.dumps({"text": "ok", "created_at": 1764000001}) + "\n", encoding="utf-8")
    good, bad = rows(path)
    assert bad == [] and [m.text for m in good] == ["ligne un\u2028ligne deux", "ok"]


def test_an_import_shows_as_an_import_in_cminbox_sources_and_the_sidebar(tmp_path):
    # No config entry runs an import: it is no source "off (not in the config)", and the
    # sidebar's "ok 6m ago" said a sync worked. Both say when the last import was.
    from cminbox import health

    config = tmp_path / "config.toml"
    config.write_text(CONFIG)
    db = tmp_path / "x.db"
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps({"text": "Toujours pas reçu", "created_at": 1764000000}) + "\n")
    assert cminbox("import", str(export), "--config", str(config), "--db", str(db)).returncode == 0
    listed = cminbox("sources", "--config", str(config), "--db", str(db))
    assert listed.returncode == 0
    assert "(import-brioche, import): imported just now · 1 message so far" in listed.stdout
    assert "not in the config" not in listed.stdout
    with Store(db) as store:
        [source] = store.sources()
        assert health.phrase(source, short=True) == "imported just now"


def local(*fields):
    from datetime import datetime

    return datetime(*fields).timestamp()  # (the computer's zone)


def test_a_french_spreadsheet_export_reads_its_own_column_names_and_dates(tmp_path, in_paris):
    # What a French CM's tools and spreadsheets export: French column names, day-first dates in
    # local time ("03/11/2025" is the 3rd of November), networks and kinds as people write them.
    path = tmp_path / "export.csv"
    path.write_text(
        "Date de publication;Réseau;Type de message;Auteur;Message;Lien;Note\n"
        "24/11/2025 15:04;Facebook;Commentaire;Julie M.;Toujours pas reçu ma commande;https://facebook.com/1;\n"
        "03/11/2025 09:30;Twitter;Message privé;@kev_l;Bonjour, une question;;\n"
        "02/11/2025;Google My Business;Avis;Marc D.;Très bon accueil;;4,5\n"
        "01/11/2025 20:15;TripAdvisor;Avis;Léa;Service un peu lent;;3\n",
        encoding="utf-8",
    )
    good, bad = rows(path)
    assert bad == []
    assert [(m.created_at, m.network, m.kind, m.author_name, m.text) for m in good] == [
        (local(2025, 11, 24, 15, 4), "facebook", "comment", "Julie M.", "Toujours pas reçu ma commande"),
        (local(2025, 11, 3, 9, 30), "x", "dm", "@kev_l", "Bonjour, une question"),
        (local(2025, 11, 2), "google", "review", "Marc D.", "Très bon accueil"),
        (local(2025, 11, 1, 20, 15), "tripadvisor", "review", "Léa", "Service un peu lent"),
    ]
    assert good[0].url == "https://facebook.com/1" and good[2].rating == 4.5


def test_a_name_column_is_the_author_and_more_networks_are_known(tmp_path, in_paris):
    # "Nom" read as nothing (the author showed as "?"), and a Snapchat row was a bad row.
    path = tmp_path / "export.csv"
    path.write_text("Nom;Réseau;Message;Date\nLéa B.;Snapchat;Trop bon le flan;24/11/2026 14:05\n"
                    "Tom;Telegram;Vous livrez ?;24/11/2026 15:00\n", encoding="utf-8")
    good, bad = rows(path)
    assert bad == [] and [(m.author_name, m.network) for m in good] == [("Léa B.", "snapchat"), ("Tom", "telegram")]


def test_an_american_export_reads_its_dates_month_first(tmp_path, in_paris):
    # A file whose dates cannot be day first ("11/24/2025") is read month first throughout:
    # "11/03/2025" is then the 3rd of November too, and "3:04 PM" is 15:04.
    path = tmp_path / "export.csv"
    path.write_text(
        "Published,Platform,Author,Content\n"
        "11/24/2025 3:04 PM,Instagram,sam_k,Love the new croissant\n"
        "11/03/2025 12:30 AM,Facebook,Jo,Where is my order?\n",
        encoding="utf-8",
    )
    good, bad = rows(path)
    assert bad == []
    assert [(m.created_at, m.network) for m in good] == [
        (local(2025, 11, 24, 15, 4), "instagram"), (local(2025, 11, 3, 0, 30), "facebook")]


@pytest.mark.parametrize("value", ["31/02/2025", "24/11/2025 25:00", "13/13/2025", "24/11/25", "hier", "2025-24-11"])
def test_a_date_that_is_no_date_is_still_a_bad_row(value):
    with pytest.raises(ValueError):
        parse_time(value)


def test_a_column_named_as_documented_wins_over_an_alias_of_it(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("text,message,created_at,date\nLe vrai texte,autre chose,2025-11-24T16:00:00Z,01/01/2020\n")
    [message], _ = rows(path)
    assert (message.text, message.created_at) == ("Le vrai texte", 1764000000.0)


def test_a_dump_of_graph_api_comments_imports_with_their_authors(tmp_path):
    # One Graph comment object a line, as a script saving API answers writes them: `message`,
    # `created_time` with its "+0000" offset, `from` an object, `permalink_url`.
    path = tmp_path / "comments.jsonl"
    path.write_text(json.dumps({"id": "1234_5678", "message": "Toujours pas reçu", "created_time": "2025-11-24T16:00:00+0000",
                                "from": {"name": "Julie M.", "id": "6001"}, "permalink_url": "https://facebook.com/1234_5678"})
                    + "\n" + json.dumps({"message": "?", "created_time": "2025-11-24T16:00:00+0000", "from": ["x"]}) + "\n")
    [message], [bad] = rows(path)
    assert (message.native_id, message.author_name, message.created_at, message.url) == (
        "1234_5678", "Julie M.", 1764000000.0, "https://facebook.com/1234_5678")
    assert bad == BadRow(2, "author_name is not text")
