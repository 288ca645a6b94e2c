"""`aigaq import` as people run it: exit codes, one-line reasons, JSON, a progress bar, and a 50 MB
file read as a stream (bounded memory)."""

from __future__ import annotations

import json
import subprocess

import pytest


def run(env, cli, *args, check=True):
    proc = subprocess.run([*cli, *args], env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_a_file_with_problems_exits_non_zero_with_a_one_line_reason(aigaq_env, tmp_path):
    env, cli = aigaq_env
    path = tmp_path / "people.csv"
    path.write_text("Name,Gender,Detention date\nНұрлан Серікұлы,m,12.03.2018\nБолат,x,2018\n", encoding="utf-8")
    proc = run(env, cli, "import", str(path), check=False)
    assert proc.returncode != 0
    reason = [ln for ln in proc.stderr.splitlines() if ln.strip() and not ln.startswith("import people.csv: [")]
    assert len(reason) == 1 and "1 of 2 rows have problems (nothing imported)" in reason[0]
    assert "people.csv row 3, column B (Gender): “x”" in proc.stdout

    report = json.loads(run(env, cli, "import", str(path), "--only-valid", "--json").stdout)
    assert report["persons"] == 1 and report["invalid"] == 1 and report["written"]
    assert report["issues"][0] == {"file": "people.csv", "row": 3, "column": "B (Gender)", "value": "x",
                                   "expected": report["issues"][0]["expected"]}


def test_duplicates_found_by_the_checking_process_on_its_own_connection(aigaq_env, tmp_path):
    """With --workers 2 the forked checker reads the persons recorded before the import on a
    connection of its own; the same proposals as checking in one process, and only those."""
    env, cli = aigaq_env
    first = tmp_path / "first.csv"
    first.write_text("Name,Gender,Birth year\nНұрлан Серікұлы,m,1975\nАйгүл Болатқызы,f,1980\n", encoding="utf-8")
    run(env, cli, "import", str(first), "--json")
    second = tmp_path / "second.csv"
    second.write_text("Name,Gender,Birth year\n努尔兰·赛力克,m,1975\nБақыт Ержанұлы,m,1990\n"
                      "Nurlan Serikuly,m,1975\n", encoding="utf-8")
    reports = {}
    for workers in ("1", "2"):
        out = run(env, cli, "import", str(second), "--dry-run", "--json", "--workers", workers).stdout
        reports[workers] = json.loads(out)["matches"]
    assert reports["1"] == reports["2"]
    assert sorted(m["row"] for m in reports["2"]) == [2, 4]
    assert all(m["existing_name"] == "Нұрлан Серікұлы" for m in reports["2"])
    written = json.loads(run(env, cli, "import", str(second), "--json", "--workers", "2").stdout)
    assert sorted(m["row"] for m in written["matches"]) == [2, 4]
    assert all(m["person"] > m["existing"] for m in written["matches"])


@pytest.mark.slow
def test_a_50_mb_file_streams_in_bounded_memory_with_a_progress_bar(aigaq_env, tmp_path):
    env, cli = aigaq_env
    path = tmp_path / "big.csv"
    given = ["Нұрлан", "Айгүл", "Ержан", "Гүлнар", "Бақыт", "Серік", "Мұрат", "Әсел"]
    fathers = ["Серік", "Болат", "Марат", "Қайрат", "Ержан", "Бақыт"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("ФИО,Имя (китайский),Пол,Туған жылы,Дата задержания,Домашний уезд,Примечание\n")
        n = 0
        while fh.tell() < 50 * 1024 * 1024:
            n += 1
            g, f = given[n % 8], fathers[n % 6]
            fh.write(f"{g} {f}ұлы {n},努尔兰·赛力克,{'m' if n % 3 else 'f'},{1950 + n % 50},"
                     f"{1 + n % 28:02d}.{1 + n % 12:02d}.2018,654021,Записано со слов родственника номер {n}\n")
    assert path.stat().st_size >= 50 * 1024 * 1024
    proc = run(env, cli, "import", str(path), "--dry-run", "--json")
    report = json.loads(proc.stdout)
    assert report["rows"] == n and report["valid"] == n and not report["written"]
    # The whole file in memory would be well over a gigabyte of Python objects (400k rows);
    # streaming keeps the process near its start-up size plus one batch.
    assert report["peak_rss_mb"] < 400, report["peak_rss_mb"]
    assert "import big.csv: [" in proc.stderr and "100%" in proc.stderr
