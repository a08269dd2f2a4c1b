"""A lecture hall on one link: trainings, their line and their watchers shared through Redis, so that several
Streamlit replicas and training workers on any machines serve one class (CONVLAB_REDIS_URL; off by default).

The page side is `RemoteTrainer`: the same controls and snapshot as `training.Trainer`, but nothing of the model
lives in the replica. Play or Step puts the run's job in one first-come-first-served list (`QUEUE`) that every
worker (`python -m engine.worker --redis URL`, `engine.hall_worker`) takes from; the controls go to the job's
command list; the worker publishes the job's snapshot (metrics history) and its samples (only when new) to keys any
replica reads. A watch link names a run id; the run's current generation (bumped by Reset) names the job, so
watchers follow a Reset. Values cross as JSON with NumPy arrays in `.npy` form (never pickle: a Redis that several
machines share must not be a way to run code).

Keys (every id is checked against RUN_ID before it reaches a key):
  convlab:queue                 list of jobs waiting for a worker, oldest first
  convlab:run:<run>             hash: gen (the current job), model, config
  convlab:job:<run>.<gen>:<p>   p = config, data (a user's dataset), cmd (list), owner (the tab is connected),
                                worker (who holds it), snap, samples, state (weights of a run that gave its slot back)
  convlab:worker:<id>           a worker's heartbeat: what it runs and in what state (expires WORKER_TTL_S)
  convlab:owner:<browser>       the run a browser last started in a lesson (`browser_owner`): when the replica that
                                held its tab dies, the tab's new page on another replica takes the run back (`adopt`)
"""
from __future__ import annotations

import base64
import contextlib
import dataclasses
import functools
import hashlib
import io
import json
import os
import re
import secrets
import threading
import time
import weakref
from dataclasses import asdict

import numpy as np

from engine import data as datasets
from engine import slots
from engine.errors import ConvLabError, InputError, Message
from engine.settings import ENDED, GAN_MODES, HallSnapshot, LineNotice, Status, TrainConfig

PREFIX = "convlab"
QUEUE = f"{PREFIX}:queue"
RUN_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
JOB = re.compile(r"([A-Za-z0-9_-]{8,64})\.([0-9]{1,12})")
OWNER = re.compile(r"[0-9a-f]{32}")
KEEP_S = 3600          # a run's keys outlive its last change by this long (watch links of a finished run work)
OWNER_TTL_S = 10       # the owner's tab is taken as closed this long after its replica last said it was there
WORKER_TTL_S = 5       # a worker whose heartbeat is this old is gone (killed, machine lost)
HEARTBEAT_S = 1.0
REPLY_TIMEOUT_S = 60   # a download or a latent decode waits this long for the worker
SNAPSHOT_MAX_AGE_S = 0.25  # one page run reads the snapshot a few times: once from Redis
FIND_MAX_AGE_S = 1.0   # a watch link's run is looked up at most this often per replica (a Reset is seen this late)
OWNER_STALE_S = 2.5    # a tab's heartbeat this old (beats come every HEARTBEAT_S): no live replica holds that tab


class HallUnavailable(ConvLabError):
    """Redis cannot be reached (restarting, network): the page says so and works again once it is back."""


class WorkerLost(ConvLabError):
    """The worker that held a run stopped sending its heartbeat."""


def url() -> str:
    return os.environ.get("CONVLAB_REDIS_URL", "").strip()


def enabled() -> bool:
    return bool(url())


@functools.cache
def client(address: str | None = None):
    """One connection pool per address; redis-py reconnects by itself after Redis restarts (commands retried)."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(address or url(), socket_connect_timeout=2, socket_timeout=10,
                                health_check_interval=5, retry=Retry(ExponentialBackoff(cap=1.0), 3),
                                retry_on_error=[ConnectionError, TimeoutError])


@contextlib.contextmanager
def reachable():
    """Redis' connection errors as the project's own error, in words a class understands."""
    import redis
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError):
        raise HallUnavailable("The class's shared training service (Redis) cannot be reached right now; it is "
                              "retried by itself. Try again in a few seconds.") from None


# -- keys --------------------------------------------------------------------------------------------------------
def run_key(run_id: str) -> str:
    if not RUN_ID.fullmatch(run_id or ""):
        raise InputError("Not a run id.")
    return f"{PREFIX}:run:{run_id}"


def job_key(job: str, part: str) -> str:
    if not JOB.fullmatch(job or ""):
        raise InputError("Not a job id.")
    return f"{PREFIX}:job:{job}:{part}"


def worker_key(worker_id: str) -> str:
    return f"{PREFIX}:worker:{worker_id}"


def owner_key(owner: str) -> str:
    if not OWNER.fullmatch(owner or ""):
        raise InputError("Not a browser id.")
    return f"{PREFIX}:owner:{owner}"


def owner_cookie() -> str | None:
    """CONVLAB_OWNER_COOKIE: the name of a cookie that the class's proxy sets to a secret random value for each
    browser and keeps when a replica dies (scripts/hall.py's and deploy/compose.yaml's nginx: `convlab_replica`, 128
    random bits, HttpOnly). With it a run's owner takes the run back on another replica; unset, nobody does
    (ingress-nginx's affinity cookie is made to pick a pod, not to be a secret of one browser)."""
    return os.environ.get("CONVLAB_OWNER_COOKIE") or None


def browser_owner(cookie, page: str) -> str | None:
    """The id of one browser's runs in one lesson (`page`), from the proxy's sticky cookie; None without a proxy's
    cookie. A digest: Redis never holds the cookie, and a key name never holds what a user sent."""
    if not isinstance(cookie, str) or not 16 <= len(cookie) <= 256:
        return None
    return hashlib.sha256(f"{page}\0{cookie}".encode()).hexdigest()[:32]


def job_id(run_id: str, gen: int) -> str:
    return f"{run_id}.{int(gen)}"


# -- values as JSON (arrays as .npy, messages with their template, no pickle) -------------------------------------
def _shared_dataclasses() -> dict[str, type]:
    """The engine's dataclasses a snapshot may hold, by name: decoding builds only these (never a class named by
    the data)."""
    from engine import cnn
    return {cls.__name__: cls for cls in (cnn.KernelMatch, cnn.LayerInfo)}


def _encode(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__name__ not in _shared_dataclasses():
            raise TypeError("cannot share a " + type(value).__name__)
        return {"__dc__": [type(value).__name__, {f.name: _encode(getattr(value, f.name))
                                                  for f in dataclasses.fields(value)}]}
    if isinstance(value, Message):
        return {"__msg__": [value.template, [[k, _encode(v)] for k, v in value.values.items()]]}
    if isinstance(value, Status):
        return {"__status__": value.value}
    if isinstance(value, np.ndarray):
        buf = io.BytesIO()
        np.save(buf, value, allow_pickle=False)
        return {"__nd__": base64.b64encode(buf.getvalue()).decode("ascii")}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError("cannot share a " + type(value).__name__)


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (tag, inner), = value.items()
        if tag == "__nd__":
            return np.load(io.BytesIO(base64.b64decode(inner)), allow_pickle=False)
        if tag == "__msg__":
            return Message(inner[0], **{k: _decode(v) for k, v in inner[1]})
        if tag == "__status__":
            return Status(inner)
        if tag == "__bytes__":
            return base64.b64decode(inner)
        if tag == "__tuple__":
            return tuple(_decode(v) for v in inner)
        if tag == "__dc__":
            return _shared_dataclasses()[inner[0]](**_decode(inner[1]))
    return {k: _decode(v) for k, v in value.items()}


def pack(value) -> bytes:
    """JSON bytes for Redis.

    >>> unpack(pack({"a": np.arange(3), "m": Message("{n} steps", n=4), "t": (1, 2)}))["m"].values
    {'n': 4}
    """
    return json.dumps(_encode(value), separators=(",", ":")).encode()


def unpack(raw: bytes | None):
    return None if raw is None else _decode(json.loads(raw))


def pack_dataset(dataset: datasets.Dataset) -> bytes:
    """A user's dataset as 8-bit images (what uploads hold; a quarter of float32's size in Redis)."""
    as_bytes = {f: np.round(np.clip(getattr(dataset, f), 0, 1) * 255).astype(np.uint8) for f in ("x_train", "x_test")}
    return pack({"name": dataset.name, "note": dataset.note, "y_train": dataset.y_train, "y_test": dataset.y_test,
                 **as_bytes})


def unpack_dataset(raw: bytes | None) -> datasets.Dataset | None:
    value = unpack(raw)
    if value is None:
        return None
    return datasets.Dataset(value["name"], value["x_train"].astype(np.float32) / 255, value["y_train"],
                            value["x_test"].astype(np.float32) / 255, value["y_test"], value["note"])


# -- the line and the workers, as every replica sees them ----------------------------------------------------------
def live_workers(r) -> list[dict]:
    """Every worker whose heartbeat is fresh: {"id", "job", "status", "paused_for", "eta"}."""
    keys = list(r.scan_iter(match=worker_key("*"), count=200))
    values = r.mget(keys) if keys else []
    return [info for info in (unpack(v) for v in values) if info is not None]


def capacity() -> int:
    """Trainings that can run at once: the live workers (0 while none has started)."""
    with reachable():
        return len(live_workers(client()))


def queue_details(workers: list[dict], job: str, position: int | None) -> LineNotice:
    """The line's notice (as `training.Trainer.queue_details`), from the workers' heartbeats."""
    from engine.training import PAUSED_RELEASE_S

    holders = [(info.get("paused_for") if info.get("status") == Status.PAUSED else None, info.get("eta"))
               for info in workers if info.get("job") and info["job"] != job]
    return slots.line_notice(holders, position, PAUSED_RELEASE_S)


def write_back_run(pipe, run_id: str, gen, config: TrainConfig | None) -> None:
    """A run's hash (its current job's generation, model and settings) as its owner or worker knows it, written
    where missing: after Redis restarted empty, watch links and the next Reset find the job again."""
    key = run_key(run_id)
    pipe.hsetnx(key, "gen", gen)
    if config is not None:
        pipe.hsetnx(key, "model", config.model)
    pipe.hsetnx(key, "config", pack(asdict(config)) if config is not None else b"")
    pipe.expire(key, KEEP_S)


def holder_alive(r, job: str) -> tuple[str | None, bool]:
    holder = r.get(job_key(job, "worker"))
    holder = holder.decode() if holder else None
    return holder, bool(holder and r.exists(worker_key(holder)))


def enqueue(r, job: str) -> None:
    """Join the line once (a job already in it keeps its place)."""
    if r.lpos(QUEUE, job) is None:
        r.rpush(QUEUE, job)


# -- the page's side ---------------------------------------------------------------------------------------------
_OWNED: weakref.WeakSet = weakref.WeakSet()   # this replica's owners' runs: their tabs' heartbeat
_WATCHED: dict[str, RemoteRun] = {}           # run id -> the view its watchers on this replica share
_WATCHED_LOCK = threading.Lock()


class RemoteRun:
    """A job as a page sees it: its snapshot from Redis with the line and the worker's liveness laid over it."""

    def __init__(self, config: TrainConfig, run_id: str, gen: int):
        self.config, self.run_id, self.gen = config, run_id, int(gen)
        self.job = job_id(run_id, gen)
        self._lock = threading.Lock()
        self._cached: tuple[float, dict] | None = None
        self._samples: tuple[object, dict] = (None, {})
        self._last: dict | None = None
        self._unseen_since: float | None = None
        self.looked_up = 0.0  # when find_run() last checked it against Redis

    @property
    def status(self) -> Status:
        return self.snapshot()["status"]

    @property
    def input_shape(self) -> tuple | None:
        shape = self.snapshot().get("input_shape")
        return tuple(shape) if shape else None

    def snapshot(self, max_age_s: float = SNAPSHOT_MAX_AGE_S) -> HallSnapshot:
        with self._lock:
            now = time.monotonic()
            if self._cached is None or now - self._cached[0] >= max_age_s:
                try:
                    self._cached = (now, self._read())
                except HallUnavailable as exc:  # the page keeps its last view and says why it stands still
                    last = self._cached[1] if self._cached else self._idle()
                    return last | {"message": exc.message, "hall_unavailable": True}
            return self._cached[1]

    def shared_snapshot(self, max_age_s: float = 0.5) -> HallSnapshot:
        return self.snapshot(max_age_s)

    def _idle(self) -> HallSnapshot:
        return {"status": Status.IDLE, "message": "", "note": "", "step": 0, "epoch": 0.0, "elapsed": 0.0,
                "images_per_s": 0.0, "eta": None, "device": "", "steps_per_epoch": 0,
                "history": {"step": [], "epoch": []}, "frames": 0, "pending": 0, "has_slot": False,
                "gave_slot_back": False, "samples_step": None, "input_shape": None, "samples": {}, "queue": None,
                "config": asdict(self.config), "run_id": self.run_id, "queue_position": None, "waiting": 0,
                "slots": 0, "slots_in_use": 0}

    def _read(self) -> HallSnapshot:
        with reachable():
            r = client()
            pipe = r.pipeline()
            pipe.get(job_key(self.job, "snap")).lpos(QUEUE, self.job).lrange(job_key(self.job, "cmd"), 0, -1)
            pipe.llen(QUEUE)
            raw, position, commands, waiting = pipe.execute()
            snap = unpack(raw)
            if snap is None:  # not published yet, or Redis restarted empty: the last one seen, until the worker's next
                snap = {k: v for k, v in self._last.items() if k != "samples"} if self._last else self._idle()
            self._last = dict(snap)
            snap["samples"] = self._samples_for(r, snap.get("samples_step"))
            workers = live_workers(r)
            holder = r.get(job_key(self.job, "worker"))
            alive = holder is not None and holder.decode() in {w["id"] for w in workers}
            position = None if position is None else position + 1
            snap.update(config=asdict(self.config), run_id=self.run_id, queue_position=position, waiting=waiting,
                        slots=len(workers), slots_in_use=sum(bool(w.get("job")) for w in workers), queue=None)
            if snap["status"] in ENDED:
                snap["pending"] = 0  # steps asked for before it ended will not be taken
                return snap
            commands = [unpack(c)[0] for c in commands]
            snap["pending"] += commands.count("step")
            unheld = snap["status"] != Status.IDLE and not snap["gave_slot_back"] and not alive
            if not unheld:
                self._unseen_since = None
            if position is not None:
                snap["status"] = Status.QUEUED
                snap["queue"] = queue_details(workers, self.job, position)
            elif unheld and self._lost():
                snap["status"] = Status.ERROR
                snap["message"] = Message("The training worker that ran this training stopped answering (its "
                                          "process or machine is gone). Press Reset to train again.")
            if position is None and [c for c in commands if c in ("play", "pause", "stop")][-1:] == ["play"]:
                snap["status"] = Status.RUNNING if snap["step"] else Status.PREPARING  # sent, not yet taken
            return snap

    def _lost(self) -> bool:
        """True once the holder's heartbeat has been missing for WORKER_TTL_S more (not for a Redis that restarted
        empty a moment ago, whose keys the worker writes back within a heartbeat)."""
        now = time.monotonic()
        self._unseen_since = self._unseen_since or now
        return now - self._unseen_since >= WORKER_TTL_S

    def _samples_for(self, r, step) -> dict:
        if step is None:
            return {}
        if self._samples[0] != step:
            self._samples = (step, unpack(r.get(job_key(self.job, "samples"))) or {})
        return self._samples[1]

    # what a watch link may not do
    def _read_only(self, *args, **kwargs):
        raise InputError("Only the person who started this training can change it.")

    play = pause = step = stop = close = _read_only


def new_job(r, run_id: str, config: TrainConfig) -> int:
    """The run's next generation (a new job: watchers of this run id move to it), with its settings."""
    gen = r.hincrby(run_key(run_id), "gen", 1)
    # a Redis that restarted empty forgets the count before its owner and worker write it back, while the old job's
    # own keys may be back already: never take a job id that is in use
    while r.exists(*(job_key(job_id(run_id, gen), part) for part in ("snap", "config", "cmd"))):
        gen = r.hincrby(run_key(run_id), "gen", 1)
    r.hset(run_key(run_id), mapping={"model": config.model, "config": pack(asdict(config))})
    r.expire(run_key(run_id), KEEP_S)
    return gen


class RemoteTrainer(RemoteRun):
    """The owner's run: `training.Trainer`'s controls, sent to whichever worker holds the job. `owner`
    (`browser_owner`) lets the same browser take the run back from another replica (`adopt`)."""

    def __init__(self, config: TrainConfig, dataset: datasets.Dataset | None = None, is_alive=None,
                 run_id: str | None = None, owner: str | None = None, _adopted_gen: int | None = None):
        config = config.validate()
        run_id = run_id or secrets.token_urlsafe(9)
        with reachable():
            gen = _adopted_gen if _adopted_gen is not None else new_job(client(), run_id, config)
        super().__init__(config, run_id, gen)
        self._dataset, self._is_alive, self.owner = dataset, is_alive, owner
        self._holder = secrets.token_hex(8)  # this tab's hold on the job: a tab whose run was taken back lets go
        self._started = self._closed = False
        if _adopted_gen is not None:
            with reachable():
                self._hold(client())
        _OWNED.add(self)
        _start_owner_heartbeat()

    def _hold(self, r) -> None:
        """This tab owns the job from now on: its heartbeat keeps the job, and another tab's stops touching it."""
        pipe = r.pipeline()
        pipe.set(job_key(self.job, "owner"), b"1", ex=OWNER_TTL_S)
        pipe.set(job_key(self.job, "holder"), self._holder, ex=KEEP_S)
        if self.owner:
            pipe.set(owner_key(self.owner), self.run_id, ex=KEEP_S)
        pipe.execute()
        self._started = True

    def _start_job(self, r):
        """The job's keys, written on the first Play or Step (an idle run costs Redis nothing)."""
        if self._started:
            return
        pipe = r.pipeline()
        pipe.set(job_key(self.job, "config"), pack(asdict(self.config)), ex=KEEP_S)
        if self._dataset is not None:
            pipe.set(job_key(self.job, "data"), pack_dataset(self._dataset), ex=KEEP_S)
        pipe.execute()
        self._hold(r)

    def _command(self, *command, wake: bool = False) -> None:
        """Send a control to the job; `wake` puts the job in line when no live worker holds it (the worker that
        gives a job back re-queues it when a control arrived meanwhile, so no Play is lost between the two)."""
        if self._closed:
            return
        with reachable():
            r = client()
            if wake:
                self._start_job(r)
            elif not self._started:
                return
            key = job_key(self.job, "cmd")
            r.rpush(key, pack(list(command)))
            r.expire(key, KEEP_S)
            if wake and not holder_alive(r, self.job)[1]:
                enqueue(r, self.job)
        with self._lock:
            self._cached = None

    def play(self):
        self._command("play", wake=True)

    def pause(self):
        self._command("pause")
        with reachable():
            if self._started and client().lrem(QUEUE, 0, self.job):
                client().delete(job_key(self.job, "cmd"))  # left the line before a worker took it
        with self._lock:
            self._cached = None

    def step(self, n: int = 1, mode: str = "both"):
        if mode not in GAN_MODES:
            raise InputError("Unknown step {mode}; choose one of {gan_modes}.", mode=repr(mode),
                             gan_modes=", ".join(GAN_MODES))
        self._command("step", max(1, min(int(n), 1000)), mode, wake=True)

    def stop(self, message: str = "Stopped."):
        with reachable():
            if not self._started:
                return
            r = client()
            r.lrem(QUEUE, 0, self.job)
            self._command("stop")
            if not holder_alive(r, self.job)[1]:  # nobody to say it: the run says it itself
                snap = unpack(r.get(job_key(self.job, "snap"))) or self._idle()
                if snap["status"] not in ENDED:
                    snap.update(status=Status.STOPPED, message=Message(message))
                    r.set(job_key(self.job, "snap"), pack(snap), ex=KEEP_S)

    def close(self):
        self.stop()
        self._closed = True
        _OWNED.discard(self)
        with contextlib.suppress(HallUnavailable), reachable():
            client().delete(job_key(self.job, "owner"))

    def join(self, timeout: float | None = None):
        """Nothing runs here."""

    def owner_heartbeat(self, r) -> None:
        """Called every HEARTBEAT_S: the tab is there (its job keeps its place), or gone (it leaves the line)."""
        if not self._started or self._closed:
            return
        try:
            alive = self._is_alive is None or bool(self._is_alive())
        except Exception:  # a probe that fails must not stop a class's run
            alive = True
        pipe = r.pipeline()
        pipe.get(job_key(self.job, "holder"))
        if alive:
            pipe.set(job_key(self.job, "owner"), b"1", ex=OWNER_TTL_S)
            write_back_run(pipe, self.run_id, self.gen, self.config)
        holder = pipe.execute()[0]  # one round trip a beat: the hold is checked with the beat it goes with
        if holder is not None and holder.decode() != self._holder:
            self._closed = True  # the same browser took the run back on another replica: this tab lets go
            _OWNED.discard(self)
        elif not alive:
            r.lrem(QUEUE, 0, self.job)

    # -- the model's work, asked of the worker that holds it ---------------------------------------------------
    def _call(self, method: str, *args):
        with reachable():
            r = client()
            if not self._started or not holder_alive(r, self.job)[1]:
                raise InputError("This training's model is not on a training worker now (it gave its slot back or "
                                 "has not started). Press Step once, then try again.")
            token = secrets.token_urlsafe(12)
            self._command("call", token, method, list(args))
            reply = r.blpop([f"{PREFIX}:reply:{token}"], timeout=REPLY_TIMEOUT_S)
        if reply is None:
            raise WorkerLost("The training worker did not answer within {reply_timeout_s} s.",
                             reply_timeout_s=REPLY_TIMEOUT_S)
        kind, value = unpack(reply[1])
        if kind == "error":
            raise InputError("{value}", value=value)
        return value

    def export_model_bytes(self) -> bytes:
        return self._call("export_model_bytes")

    def export_model(self, path):
        from pathlib import Path
        path = Path(path)
        path.write_bytes(self.export_model_bytes())
        return path

    def gif_bytes(self, scale: int = 3, ms_per_frame: int = 150) -> bytes:
        return self._call("gif_bytes", scale, ms_per_frame)

    def samples_array(self, n: int = 64, label: int | None = None) -> np.ndarray:
        return self._call("samples_array", n, label)

    def decode_latent(self, z) -> np.ndarray:
        return self._call("decode_latent", np.asarray(z, np.float32))

    def held_out(self, index: int):
        return tuple(self._call("held_out", int(index)))

    def latent_grid(self, n: int = 8, span: float = 2.5) -> np.ndarray:
        return self._call("latent_grid", n, span)


@functools.cache
def _start_owner_heartbeat() -> threading.Thread:
    def beat():
        while True:
            time.sleep(HEARTBEAT_S)
            with contextlib.suppress(Exception):  # Redis restarting: the next beat says it again
                r = client()
                for run in list(_OWNED):
                    run.owner_heartbeat(r)

    thread = threading.Thread(target=beat, name="convlab-hall-owners", daemon=True)
    thread.start()
    return thread


def find_run(run_id) -> RemoteRun | None:
    """The run a watch link names, read-only, on any replica; the same object for all its watchers here until the
    owner's Reset makes a new job (then a new one, so the watch view sees that it must move)."""
    if not isinstance(run_id, str) or not RUN_ID.fullmatch(run_id):
        return None
    with _WATCHED_LOCK:
        run = _WATCHED.get(run_id)
        if run is not None and time.monotonic() - run.looked_up < FIND_MAX_AGE_S:
            return run  # a class's watchers rerun every 2 s: one lookup a second per replica, not one per rerun
    with reachable():
        gen, raw = client().hmget(run_key(run_id), "gen", "config")
    if gen is None or raw is None:
        return None
    with _WATCHED_LOCK:
        run = _WATCHED.get(run_id)
        if run is not None and run.gen == int(gen):
            run.looked_up = time.monotonic()
        else:
            config = TrainConfig(**unpack(raw))
            run = _WATCHED[run_id] = RemoteRun(config, run_id, int(gen))
            run.looked_up = time.monotonic()
            if len(_WATCHED) > 1000:  # bounded: the oldest views go (their watchers get a fresh one)
                _WATCHED.pop(next(iter(_WATCHED)))
        return run


def adopt(owner: str | None, is_alive=None, own_run: str | None = None) -> RemoteTrainer | float | None:
    """The run this browser (`owner`, from `browser_owner`) started in a lesson and still owns, taken back by a new
    page of it: its tab's replica died and the proxy moved the tab to another replica, where Streamlit starts a new
    session. A float while that run's tab still beats (the tab is open on a live replica, or its replica died a
    moment ago): ask again that many seconds later. None when there is no such run (never started, ended, or its
    tab gone for more than OWNER_TTL_S: then the worker has stopped it), and when that run is `own_run`, the run id
    of the asking page's own trainer (a page that has just pressed Play owns the newest run: nothing to take back)."""
    if not owner:
        return None
    with reachable():
        r = client()
        run_id = r.get(owner_key(owner))
        run_id = run_id.decode() if run_id else ""
        if not RUN_ID.fullmatch(run_id) or run_id == own_run:
            return None
        gen, raw = r.hmget(run_key(run_id), "gen", "config")
        if gen is None or not raw:
            return None
        job = job_id(run_id, int(gen))
        left_ms = r.pttl(job_key(job, "owner"))
        if left_ms < 0:
            return None
        beat_age = OWNER_TTL_S - left_ms / 1000
        if beat_age < OWNER_STALE_S:
            return OWNER_STALE_S - beat_age
        snap = unpack(r.get(job_key(job, "snap")))
        if snap is not None and snap.get("status") in ENDED:
            return None
    return RemoteTrainer(TrainConfig(**unpack(raw)), is_alive=is_alive, run_id=run_id, owner=owner,
                         _adopted_gen=int(gen))
