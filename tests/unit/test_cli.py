from surveybrief.__main__ import build_parser, main


def test_help_lists_the_jobs(capsys):
    text = build_parser().format_help()
    assert "briefing" in text and "reconstruct" in text


def test_bad_wave_is_one_clear_line(capsys, data_root):
    assert main(["briefing", "--wave", "2099-01", "--data", str(data_root)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: file ") and "2099-01/wave.yaml" in err[0]


def test_malformed_wave_id_is_refused(capsys, data_root):
    assert main(["briefing", "--wave", "../etc", "--data", str(data_root)]) == 1
    assert "invalid wave id" in capsys.readouterr().err


def test_reconstruct_refuses_to_overwrite_raw_data(capsys, data_root):
    assert main(["reconstruct", "--wave", "2025-06", "--data", str(data_root)]) == 1
    assert "immutable" in capsys.readouterr().err


def test_help_offers_the_makefile_jobs():
    text = build_parser().format_help()
    for job in ("briefing", "demo", "lab", "bench", "testdata"):
        assert job in text


def test_testdata_writes_a_synthetic_wave_but_never_into_data(tmp_path, capsys, data_root):
    assert main(["testdata", "--data", str(tmp_path), "--n", "15", "--shape", "kobo_csv"]) == 0
    assert (tmp_path / "raw" / "2030-06" / "export.csv").is_file()
    assert "SYNTHETIC" in (tmp_path / "raw" / "2030-06" / "wave.yaml").read_text()
    assert main(["testdata", "--data", str(data_root)]) == 1
    assert "never go into data/" in capsys.readouterr().err


def test_the_package_is_installed_as_a_command_with_its_templates():
    import json
    import subprocess
    import sys
    from importlib import metadata, resources
    from pathlib import Path

    command = Path(sys.executable).parent / "surveybrief"
    done = subprocess.run([command, "briefing", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "usage: surveybrief briefing" in done.stdout
    dist = metadata.distribution("surveybrief")  # installed by uv or pip: the same record
    assert json.loads(dist.read_text("direct_url.json"))["dir_info"]["editable"] is True
    template = resources.files("surveybrief.brief") / "templates" / "briefing" / "index.html.j2"
    assert template.is_file()


def test_the_command_exits_fast_with_its_code_its_output_and_its_exit_handlers(tmp_path):
    """run_and_exit skips the interpreter's teardown, never the output, code or exit handlers."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    marker = tmp_path / "handler-ran"
    script = (
        "import atexit, sys, threading\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('ran'))\n"
        "from surveybrief.__main__ import run_and_exit\n"
        "print('x' * 100_000)\n"  # more than one buffer, piped: flushed before the exit
        "sys.stdout.write('tail')\n"  # no newline: still in the buffer when main returns
        "threading.Thread(target=threading.Event().wait).start()\n"  # never ends, not a daemon
        "run_and_exit(sys.argv[1:])\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    bad = subprocess.run(
        [sys.executable, "-c", script, "briefing", "--wave", "../etc", "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,  # the interpreter's own exit would wait for the thread forever
    )
    assert bad.returncode == 1 and "invalid wave id" in bad.stderr
    assert bad.stdout.count("x") == 100_000 and bad.stdout.endswith("tail")
    assert marker.read_text() == "ran"
    command = Path(sys.executable).parent / "surveybrief"  # the installed command takes this way
    done = subprocess.run([command, "testdata", "--data", str(tmp_path / "t"), "--n", "12"],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0 and (tmp_path / "t" / "raw").is_dir()
