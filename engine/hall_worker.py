"""A lecture hall's training worker: takes jobs from the Redis line, trains them with `training.Trainer`, obeys
their controls and publishes their snapshots (`python -m engine.worker --redis redis://host:6379/0`).

One job at a time, first come first served across every replica. A job that is paused past the limit gives its
worker back: its weights and curves go to Redis and the next worker that takes it (on Play or Step) starts from
them. The heartbeat says what the worker runs; a worker that stops sending it is reported lost by the pages and
its job by anyone who watches it. Redis that restarts: the heartbeat writes the worker's keys again and every
command is retried, so nothing needs a restart.
"""
from __future__ import annotations

import contextlib
import gc
import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import asdict

from engine import hall, training
from engine.errors import ConvLabError, Message
from engine.settings import ENDED, Status, TrainConfig

POLL_S = 0.1      # controls are taken this often
PUBLISH_S = 0.5   # the snapshot is published at most this often while nothing but the step count changes
CALLS = ("export_model_bytes", "gif_bytes", "samples_array", "decode_latent", "held_out", "latent_grid")
log = logging.getLogger("convlab")


class ResumableTrainer(training.Trainer):
    """A Trainer that starts from a run's weights and curves when another worker held it before."""

    def __init__(self, *args, resume: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._resume = resume
        if resume is not None:
            h = resume["history"]
            self.history = training.History(list(h["step"]), list(h["epoch"]), {k: list(v) for k, v in
                                                                                 h["values"].items()})
            model = resume["model"]
            self.step_count, self.epoch, self.elapsed = model["step"], model["epoch"], model["elapsed"]

    def _prepare(self):
        super()._prepare()
        if self._resume is not None:
            self.restore_model_state(self._resume["model"])
            self._resume = None


class HallWorker:
    def __init__(self, address: str | None = None, worker_id: str | None = None):
        self.r = hall.client(address) if address else hall.client()
        self.name = worker_id or f"{socket.gethostname()}-{os.getpid()}"
        # the key is unique to this process: a worker restarted under the same name must not pass for the one it
        # replaces, whose job died with it (that job would look alive again and never be reported lost)
        self.id = f"{self.name}-{secrets.token_hex(4)}"
        self.job: str | None = None
        self.trainer: training.Trainer | None = None
        self.stopping = threading.Event()

    # -- heartbeat --------------------------------------------------------------------------------------------
    def beat(self) -> None:
        import redis
        info = {"id": self.id, "name": self.name, "job": self.job, "host": socket.gethostname(), "pid": os.getpid()}
        t = self.trainer
        if t is not None:
            info["status"] = t.status
            paused = t.status == Status.PAUSED and t._paused_since is not None and not t._pending
            info["paused_for"] = time.monotonic() - t._paused_since if paused else None
            info["eta"] = t._eta()
        try:
            pipe = self.r.pipeline()
            pipe.set(hall.worker_key(self.id), hall.pack(info), ex=hall.WORKER_TTL_S)
            if self.job is not None:  # written again each beat: a Redis that restarted empty learns them back
                pipe.set(hall.job_key(self.job, "worker"), self.id, ex=hall.KEEP_S)
                hall.write_back_run(pipe, *self.job.rsplit(".", 1), t.config if t else None)
            pipe.execute()
        except (redis.ConnectionError, redis.TimeoutError):
            pass

    def _heartbeat(self) -> None:
        while not self.stopping.wait(hall.HEARTBEAT_S):
            self.beat()

    # -- the line ---------------------------------------------------------------------------------------------
    def serve(self, max_jobs: int | None = None) -> None:
        """Take jobs until `stopping` is set (or `max_jobs` were taken)."""
        import redis
        threading.Thread(target=self._heartbeat, name="convlab-hall-heartbeat", daemon=True).start()
        self.beat()
        import keras  # noqa: F401  (imported before the first job, so Play does not wait for it)
        taken = 0
        while not self.stopping.is_set() and (max_jobs is None or taken < max_jobs):
            try:
                item = self.r.blpop([hall.QUEUE], timeout=1)
            except (redis.ConnectionError, redis.TimeoutError):
                time.sleep(1.0)
                continue
            if item is not None:
                taken += 1
                self.take(item[1].decode())
        with contextlib.suppress(Exception):
            self.r.delete(hall.worker_key(self.id))

    def take(self, job: str) -> None:
        if not hall.JOB.fullmatch(job):
            return
        holder_key = hall.job_key(job, "worker")
        if not self.r.set(holder_key, self.id, nx=True, ex=hall.KEEP_S):
            if hall.holder_alive(self.r, job)[1]:
                return  # a duplicate entry of a job another worker runs
            self.r.set(holder_key, self.id, ex=hall.KEEP_S)
        parked = False
        try:
            parked = self._run(job)
        except Exception:  # noqa: BLE001  (the job says so; the worker goes on serving the class)
            log.exception("Hall job %s failed", job)
            self._publish_error(job, Message("Training failed on its worker; press Reset to train again."))
        finally:
            self.trainer, self.job = None, None
            with contextlib.suppress(Exception):
                if self.r.get(holder_key) == self.id.encode():
                    self.r.delete(holder_key)
                # a control that came while it was being given back: the job joins the line again
                if parked and any(hall.unpack(c)[0] in ("play", "step")
                                  for c in self.r.lrange(hall.job_key(job, "cmd"), 0, -1)):
                    hall.enqueue(self.r, job)
            self.beat()
            _free_models()

    def _publish_error(self, job: str, message: Message) -> None:
        with contextlib.suppress(Exception):
            snap = hall.unpack(self.r.get(hall.job_key(job, "snap"))) or {}
            snap.update(status=Status.ERROR, message=message)
            self.r.set(hall.job_key(job, "snap"), hall.pack(snap), ex=hall.KEEP_S)

    # -- one job ----------------------------------------------------------------------------------------------
    def _run(self, job: str) -> bool:
        """Train `job` until it ends (False) or gives its worker back while paused (True)."""
        r = self.r
        raw_config = r.get(hall.job_key(job, "config"))
        commands = [hall.unpack(c)[0] for c in r.lrange(hall.job_key(job, "cmd"), 0, -1)]
        if raw_config is None or not {"play", "step"} & set(commands):
            return False  # an entry nobody asks for any more (paused or reset while in line)
        owner_key = hall.job_key(job, "owner")
        if not r.exists(owner_key):
            r.delete(hall.job_key(job, "cmd"))
            self._publish_error(job, Message("Stopped: the browser tab that started this training was closed."))
            return False
        config = TrainConfig(**hall.unpack(raw_config))
        resume = hall.unpack(r.get(hall.job_key(job, "state")))
        t = ResumableTrainer(config, dataset=hall.unpack_dataset(r.get(hall.job_key(job, "data"))),
                             is_alive=lambda: bool(r.exists(owner_key)), run_id=job.rsplit(".", 1)[0],
                             resume=resume)
        self.trainer, self.job = t, job
        self.beat()
        sent = {"key": None, "at": 0.0, "step": None, "samples": resume.get("samples_step") if resume else None}
        try:
            while True:
                parked, ended = self._serve_once(t, job, sent)
                if ended:
                    return False
                if self.stopping.is_set():
                    self._hand_over(t, job, sent)
                    return False
                if parked:
                    state = {"model": t.model_state(), "history": asdict(t.history), "samples_step": sent["samples"]}
                    r.set(hall.job_key(job, "state"), hall.pack(state), ex=hall.KEEP_S)
                    return True
                time.sleep(POLL_S)
        finally:
            t.close()

    def _hand_over(self, t: training.Trainer, job: str, sent: dict) -> None:
        """This worker was told to stop (a rolling update, a scale-down): the job goes back to the head of the line
        with its weights, its curves and what its owner wanted (running, or the steps still to take), and the next
        worker carries on from there."""
        with t._cond:
            want_running, pending = t._want_running, list(t._pending)
        t.pause()
        deadline = time.monotonic() + 10
        while t.alive and t.status in (Status.RUNNING, Status.PREPARING) and time.monotonic() < deadline:
            time.sleep(0.05)  # the step in progress ends first
        r = self.r
        if t._built:
            state = {"model": t.model_state(), "history": asdict(t.history), "samples_step": sent["samples"]}
            r.set(hall.job_key(job, "state"), hall.pack(state), ex=hall.KEEP_S)
        wishes = [["play"]] if want_running else [["step", 1, mode] for mode in pending]
        for wish in reversed(wishes):  # before any control sent meanwhile, which came later
            r.lpush(hall.job_key(job, "cmd"), hall.pack(wish))
        if wishes and r.lpos(hall.QUEUE, job) is None:
            r.lpush(hall.QUEUE, job)
        log.info("Worker %s stops: job %s handed back to the head of the line", self.id, job)

    def _serve_once(self, t: training.Trainer, job: str, sent: dict) -> tuple[bool, bool]:
        """Take the job's controls, publish what changed; (gave its slot back, ended)."""
        import redis
        try:
            for raw in self.r.lpop(hall.job_key(job, "cmd"), 100) or []:
                self._apply(t, hall.unpack(raw))
            snap = t.snapshot()
            ended = snap["status"] in ENDED and not t.alive
            parked = snap["gave_slot_back"]
            key = (snap["status"], snap["pending"], str(snap["message"]), parked, snap["samples"].get("step"))
            now = time.monotonic()
            if ended or key != sent["key"] or (snap["step"] != sent["step"] and now - sent["at"] >= PUBLISH_S):
                self._publish(job, snap, sent)
                sent.update(key=key, at=now, step=snap["step"])
            return parked, ended
        except (redis.ConnectionError, redis.TimeoutError):
            time.sleep(0.5)  # the training goes on; the next round publishes again
            return False, False

    def _publish(self, job: str, snap: dict, sent: dict) -> None:
        samples = snap.pop("samples")
        if samples and samples.get("step") != sent["samples"]:
            self.r.set(hall.job_key(job, "samples"), hall.pack(samples), ex=hall.KEEP_S)
            sent["samples"] = samples.get("step")
        for name in ("queue", "queue_position", "slots_in_use", "waiting", "slots", "config"):
            snap.pop(name, None)
        snap.update(samples_step=sent["samples"], input_shape=self.trainer.input_shape, worker=self.name)
        self.r.set(hall.job_key(job, "snap"), hall.pack(snap), ex=hall.KEEP_S)

    def _apply(self, t: training.Trainer, command: list) -> None:
        name, args = command[0], command[1:]
        if name == "play":
            t.play()
        elif name == "pause":
            t.pause()
        elif name == "step":
            t.step(int(args[0]), str(args[1]))
        elif name == "stop":
            t.stop()
        elif name == "call":
            token, method, call_args = args
            try:
                if method not in CALLS:
                    raise ConvLabError("Unknown request.")
                reply = ("ok", getattr(t, method)(*call_args))
            except ConvLabError as exc:
                reply = ("error", exc.message)
            key = f"{hall.PREFIX}:reply:{token}"
            self.r.rpush(key, hall.pack(reply))
            self.r.expire(key, hall.REPLY_TIMEOUT_S)


def _free_models() -> None:
    """The job's model and graph go before the next job's are built (a worker serves a class for hours)."""
    with contextlib.suppress(Exception):
        import keras
        keras.backend.clear_session()
    gc.collect()


def main(address: str | None, worker_id: str | None = None) -> None:
    import signal
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    worker = HallWorker(address, worker_id)
    signal.signal(signal.SIGTERM, lambda *_: worker.stopping.set())
    log.info("ConvLab training worker %s takes jobs from %s", worker.id, address.split("@")[-1])
    worker.serve()
