"""The job queue: claiming, running, retrying, periodic jobs, the worker command and thread."""

from __future__ import annotations

import os
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from aigaq.core import jobs
from aigaq.core.jobs import JobError, claim_one, enqueue, job_handler, run_job, run_worker
from aigaq.core.models import Job

CALLS: list[dict] = []


@job_handler("test-echo")
def _echo(payload, ctx):
    ctx.progress(1, 2, "half")
    CALLS.append(payload)
    return {"echo": payload.get("n")}


@job_handler("test-fail")
def _fail(payload, ctx):
    raise JobError("the file is not there", retry=payload.get("retry", False))


@job_handler("test-crash")
def _crash(payload, ctx):
    raise RuntimeError("bug")


@pytest.fixture(autouse=True)
def _clean():
    CALLS.clear()
    yield
    jobs._PERIODIC.pop("test-echo", None)


def test_enqueue_refuses_unknown_kinds(db):
    with pytest.raises(ValueError, match="no handler"):
        enqueue("no-such-kind")


def test_a_job_is_claimed_once_and_runs_to_done(db):
    job = enqueue("test-echo", {"n": 7})
    claimed = claim_one()
    assert claimed.pk == job.pk and claimed.state == Job.State.RUNNING and claimed.attempts == 1
    assert claim_one() is None  # nothing else is queued: the same job is never claimed twice
    done = run_job(claimed)
    assert done.state == Job.State.DONE and done.result == {"echo": 7} and done.finished_at
    assert done.progress_done == done.progress_total == 2


def test_claim_is_a_conditional_update_that_only_one_worker_wins(db):
    job = enqueue("test-echo", {})
    # Another worker got there first: the row is no longer queued, so this claim changes 0 rows.
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    assert claim_one() is None


def test_jobs_not_yet_due_wait(db):
    enqueue("test-echo", {}, run_after=timezone.now() + timedelta(hours=1))
    assert claim_one() is None


def test_failures_are_recorded_and_retried_only_when_asked(db):
    enqueue("test-fail", {})
    final = run_job(claim_one())
    assert final.state == Job.State.FAILED and final.error == "the file is not there"
    retry = enqueue("test-fail", {"retry": True}, max_attempts=2)
    after = run_job(claim_one())
    assert after.pk == retry.pk and after.state == Job.State.QUEUED and after.run_after > timezone.now()


def test_a_crashing_handler_does_not_stop_the_worker(db):
    enqueue("test-crash", {})
    enqueue("test-echo", {"n": 1})
    ran = run_worker(threading.Event(), once=True, kinds=["test-crash", "test-echo"])
    assert ran == 2
    assert Job.objects.get(kind="test-crash").state == Job.State.FAILED
    assert Job.objects.get(kind="test-echo").state == Job.State.DONE


def test_stale_running_jobs_go_back_to_the_queue(db):
    job = enqueue("test-echo", {})
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING,
                                         heartbeat_at=timezone.now() - timedelta(hours=1))
    assert jobs.requeue_stale() == 1
    assert Job.objects.get(pk=job.pk).state == Job.State.QUEUED


def test_periodic_kinds_keep_one_job_queued_after_the_last_finished(db):
    jobs.periodic("test-echo", lambda: 3600)
    first = [j for j in jobs.schedule_periodic() if j.kind == "test-echo"]
    assert len(first) == 1
    assert not [j for j in jobs.schedule_periodic() if j.kind == "test-echo"]  # one is queued already
    run_job(claim_one(["test-echo"]))
    again = [j for j in jobs.schedule_periodic() if j.kind == "test-echo"][0]
    assert again.run_after > timezone.now() + timedelta(minutes=59)


def test_worker_command_once(db, capsys):
    enqueue("test-echo", {"n": 3})
    call_command("worker", "--once", "--kind", "test-echo")
    out = capsys.readouterr()
    assert "1 job(s) run." in out.out and "test-echo: done" in out.err
    assert CALLS == [{"n": 3}]


def test_worker_thread_of_serve_runs_jobs(transactional_db, settings):
    from django.apps import apps

    from aigaq.core.apps import CoreConfig

    enqueue("test-echo", {"n": 5})
    config = apps.get_app_config("core")
    assert isinstance(config, CoreConfig)
    config.start_background()
    try:
        deadline = timezone.now() + timedelta(seconds=20)
        while timezone.now() < deadline and Job.objects.get(kind="test-echo").state != Job.State.DONE:
            threading.Event().wait(0.1)
        assert Job.objects.get(kind="test-echo").state == Job.State.DONE
    finally:
        jobs.stop_worker_thread()


def test_worker_thread_is_off_when_the_setting_says_so(settings):
    settings.AIGAQ_WORKER = False
    assert jobs.start_worker_thread() is None


def test_each_test_worker_has_its_own_data_folder(settings):
    # Workers sharing one folder saw each other's vault temp files (order-dependent failures).
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        assert settings.DATA_DIR.name.startswith(f"aigaq-test-{worker}-")
    assert settings.DATA_DIR.name.startswith("aigaq-test-")
