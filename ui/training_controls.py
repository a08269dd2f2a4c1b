"""Training controls shared by the lessons that train live (Train live, What a network learns): the data-set
picker, this tab's trainer, the Play / Pause / Step / Stop / Reset row, the queue notice and the share link.

`page` is the lesson's state prefix ("train", "learn"): each lesson keeps its own trainer in the session.
"""
from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from engine import data as datasets
from engine import device, hall, training, worker
from engine.errors import ConvLabError
from engine.settings import ENDED, Status
from ui import sessions, shell
from ui.i18n import message, t
from ui.state import PageState
from ui.uploads import parse_once

UPLOAD_LABEL = "Your own file (.npz, IDX, .zip)"
STATUS_ICONS = {Status.RUNNING: ":green[:material/play_circle:]", Status.PREPARING: ":orange[:material/hourglass_top:]",
                Status.QUEUED: ":orange[:material/group:]", Status.PAUSED: ":blue[:material/pause_circle:]",
                Status.FINISHED: ":green[:material/check_circle:]", Status.STOPPED: ":gray[:material/stop_circle:]",
                Status.ERROR: ":red[:material/error:]"}


def trainer_key(page: str) -> str:
    return f"{page}.trainer"


def dataset_ui(state: PageState, side) -> tuple[str, datasets.Dataset | None]:
    """A named dataset, or the user's file (parsed once per upload; refused files say why)."""
    dataset_name = state.select(t("Dataset"), list(datasets.DATASETS) + ["upload"], "data", "mnist", container=side,
                                format_func=lambda d: t(datasets.DATASET_LABELS.get(d, UPLOAD_LABEL)))
    if dataset_name != "upload":
        return dataset_name, None
    user_dataset = None
    file = side.file_uploader(t("Dataset file"), type=["npz", "zip", "gz", "idx", "ubyte"],
                              key=f"{state.page}.user_file")
    if file is not None:
        try:
            user_dataset = parse_once(file, datasets.load_user_dataset, file.name)
            if user_dataset.note:
                side.info(message(user_dataset.note))
        except ConvLabError as exc:
            side.error(message(exc))
    if user_dataset is None:
        side.caption(t("No usable file yet: the bundled MNIST test digits will be used."))
        return "builtin", None
    return dataset_name, user_dataset


def session_trainer(config: training.TrainConfig, user_dataset, page: str) -> training.Trainer:
    """This session's trainer; an idle one follows the settings, a started one keeps its own until Reset. In a
    lecture hall, a new page first takes back the run its browser owned on a replica that died."""
    trainer: training.Trainer | None = st.session_state.get(trainer_key(page))
    st.session_state.pop(take_back_key(page), None)  # only the run that asks again below may wait for the answer
    if trainer is None or trainer.status == Status.IDLE:
        taken = taken_back(page, trainer.run_id if trainer is not None else None)
        if taken is not None:
            if trainer is not None:
                trainer.close()
            st.session_state[trainer_key(page)] = trainer = taken
            st.toast(t("The server this page was on stopped; another one of the class's servers took over, and your "
                       "training goes on here."), icon=":material/sync:")
    if trainer is None or (trainer.status == Status.IDLE and (trainer.config != config or user_dataset is not None)):
        if trainer is not None:
            trainer.close()
        trainer = new_trainer(config, user_dataset, trainer, page)
    return trainer


def new_trainer(config, user_dataset, previous: training.Trainer | None, page: str) -> training.Trainer:
    """A trainer tied to this browser tab (closing it frees the slot) that keeps the run id of the one it
    replaces, so a "Share this run" link follows the teacher across Reset. The model lives in a worker process
    (engine.worker), a spare of which starts now so that Play does not wait for Keras to load."""
    trainer_class = worker.trainer_class()
    if trainer_class is worker.WorkerTrainer:
        worker.POOL.warm()
    owner = {"owner": browser_owner(page)} if hall.enabled() else {}
    trainer = trainer_class(config, dataset=user_dataset, is_alive=sessions.connection_probe(),
                               run_id=previous.run_id if previous is not None else None, **owner)
    st.session_state[trainer_key(page)] = trainer
    return trainer


def browser_owner(page: str) -> str | None:
    """In a lecture hall whose proxy names each browser by a secret cookie (CONVLAB_OWNER_COOKIE): the id of this
    browser's runs in this lesson, digested; None elsewhere."""
    cookie = hall.owner_cookie()
    return hall.browser_owner(st.context.cookies.get(cookie), page) if cookie else None


def take_back_key(page: str) -> str:
    return f"{page}.take_back_at"


def taken_back(page: str, own_run: str | None) -> training.Trainer | None:
    """The run this browser owned in this lesson on a replica that died, for a page opened in the first seconds
    after (the proxy moved the tab to a new session here); while the old tab's heartbeat may still be its replica's
    last, `wait_to_take_back` asks again. None outside a lecture hall, for every later page, and for the page's own
    run (`own_run`: a page that has just pressed Play owns the browser's newest run)."""
    opened = st.session_state.setdefault(f"{page}.opened_at", time.monotonic())
    if not hall.enabled() or time.monotonic() - opened > hall.OWNER_TTL_S + 2 * hall.OWNER_STALE_S:
        return None
    owner = browser_owner(page)
    try:
        found = hall.adopt(owner, is_alive=sessions.connection_probe(), own_run=own_run) if owner else None
    except ConvLabError:  # Redis out of reach: the page says so when the run is used
        return None
    if isinstance(found, float):
        st.session_state[take_back_key(page)] = time.monotonic() + found
        return None
    return found


def wait_to_take_back(page: str) -> None:
    """Reruns the page once the run this browser owned may be taken back (see `taken_back`). The rerun comes from
    the fragment's own timer when the time is due: in the page's full run the fragment runs at once, and a rerun
    from there would start the next full run at once, and so on, as fast as the server can."""
    due = st.session_state.get(take_back_key(page))
    if due is None:
        return

    @st.fragment(run_every=max(0.5, due - time.monotonic()))
    def poll():
        if time.monotonic() >= st.session_state.get(take_back_key(page), float("inf")):
            st.rerun()

    poll()


def is_busy(snap: dict) -> bool:
    """Working, about to, or waiting its turn: Pause is the one control, and the live view polls."""
    return snap["status"] in (Status.PREPARING, Status.RUNNING, Status.QUEUED) or snap["pending"] > 0


def control_state(snap: dict) -> tuple:
    """What the buttons depend on; when it changes the whole page reruns so they are enabled right."""
    return snap["status"], snap["pending"] > 0, snap["step"] > 0


def controls_ui(trainer: training.Trainer, config: training.TrainConfig, user_dataset, page: str):
    """Device badges, the Play / Pause / Step (/ Step D / Step G) / Stop / Reset row, queue and share."""
    def reset():
        trainer.close()  # its slot and worker process are free again before the new trainer can take one
        new_trainer(config, user_dataset, trainer, page)
        st.session_state.pop(f"{page}.downloads", None)

    device_name = device.accelerator_without_loading()  # Keras loads when training starts, not on the first visit
    on_gpu = not device_name.startswith("CPU")
    # on a projector the first screen is for the samples and the curves: the device line goes to the sidebar
    (st.sidebar if shell.presenter_active() else st).markdown(
        f"**{t('Device')}:** :{'green' if on_gpu else 'gray'}-badge[{device_name}] "
        f":blue-badge[{t('Keras backend')}: {device.keras_backend()}]")
    snap = trainer.snapshot()
    st.session_state[f"{page}.controls"] = control_state(snap)
    busy = is_busy(snap)
    ended = snap["status"] in ENDED
    buttons = [("play", t("Play"), ":material/play_arrow:", trainer.play, busy or ended, "primary"),
               ("pause", t("Pause"), ":material/pause:", trainer.pause, not busy, "secondary"),
               ("step", t("Step"), ":material/skip_next:", trainer.step, busy or ended, "secondary")]
    if config.model == "dcgan":
        buttons += [("step_d", t("Step D"), ":material/gavel:", lambda: trainer.step(mode="d"), busy or ended,
                     "secondary"),
                    ("step_g", t("Step G"), ":material/brush:", lambda: trainer.step(mode="g"), busy or ended,
                     "secondary")]
    buttons += [("stop", t("Stop"), ":material/stop:", trainer.stop, snap["status"] == Status.IDLE or ended,
                 "secondary"),
                ("reset", t("Reset"), ":material/restart_alt:", reset, False, "secondary")]
    # one row that wraps (a phone gets two or three rows of buttons, not one screen of them stacked); each button
    # keyed, so a rerun that enables or disables it keeps the same element and the keyboard's focus on it
    row = st.container(horizontal=True, wrap=True, key=f"{page}.buttons")
    for name, label, icon, action, disabled, kind in buttons:
        row.button(label, icon=icon, on_click=told(action, page), disabled=disabled, type=kind, width="content",
                   key=f"{page}.{name}")
    failed = st.session_state.pop(f"{page}.control_error", None)
    if failed is not None:
        st.error(message(failed), icon=":material/error:")
    if snap["step"] > 0 or snap["status"] not in (Status.IDLE, Status.QUEUED):
        with row:
            share_run(trainer.run_id, page)
    if trainer.config != config and snap["status"] != Status.IDLE:
        st.info(t("You changed a setting: press **Reset** to train with the new settings."))


def told(action: Callable[[], None], page: str) -> Callable[[], None]:
    """A button's action whose refusal (the project's own error: a shared service out of reach, say) is shown
    under the buttons in the user's language: a callback runs before the page, where nothing else could catch it."""
    def run():
        try:
            action()
        except ConvLabError as exc:
            st.session_state[f"{page}.control_error"] = exc

    return run


def share_run(run_id: str, page: str):
    with st.popover(t("Share this run"), icon=":material/visibility:"):
        st.caption(t("Anyone who opens this link watches this training live (curves and samples), read-only: they "
                     "cannot pause or change it and it costs no training slot."))
        st.code(shell.share_link(page, {"watch": run_id}), language=None, wrap_lines=True)


def queue_notice(snap: dict):
    """Where this run stands in the line and who holds the slots; or, for a run paused past the limit, that its slot
    went back to the class."""
    if snap["status"] == Status.QUEUED and not snap["slots"]:  # a lecture hall whose workers have not started
        st.warning(t("No training worker is connected yet, so nothing can train. You are number {n} in line; your "
                     "training starts by itself when a worker starts (python -m engine.worker).",
                     n=snap["queue_position"] or 1), icon=":material/hourglass_top:")
    elif snap["status"] == Status.QUEUED:
        queue = snap["queue"] or {}
        text = t("Waiting for a free training slot: you are number {n} in line. Of the server's {slots} slots, "
                 "{running} train now and {paused} are paused.", n=snap["queue_position"] or 1,
                 slots=snap["slots"], running=queue.get("running", snap["slots_in_use"]), paused=queue.get("paused", 0))
        if queue.get("paused_release_s") is not None:
            text += " " + t("A paused training gives its slot back in {seconds} s.",
                            seconds=f"{queue['paused_release_s']:.0f}")
        if queue.get("wait_s") is not None:
            text += " " + t("Estimated wait: about {seconds} s.", seconds=f"{queue['wait_s']:.0f}")
        text += " " + t("Your training starts by itself when your turn comes; keep this tab open.")
        st.info(text, icon=":material/hourglass_top:")
    elif snap.get("gave_slot_back"):
        st.info(t("Paused for more than {seconds} s, so this training gave its slot back for the class. Your model is "
                  "kept: Play joins the line again.", seconds=f"{training.PAUSED_RELEASE_S:g}"),
                icon=":material/group:")


def metric_row():
    """A row for metrics that wraps on a narrow screen (two or three to a line on a phone, not one each)."""
    return st.container(horizontal=True, wrap=True, gap="medium")


def watch_view(run_id, models, live_view: Callable[[training.Trainer], None]) -> None:
    """Someone else's run, live and read-only (a class watches the teacher's without training thirty copies): the
    run a "watch" link names, drawn by the lesson's `live_view`, then the way to train one's own."""
    trainer = watched_run(run_id, models)
    if trainer is not None:
        live_view(trainer)
    train_your_own_button()


def watched_run(run_id, models) -> training.Trainer | None:
    """The shared run a "watch" link names, announced; None with a calm notice when it is gone or belongs to
    another lesson's models."""
    trainer = worker.find_run(run_id)
    if trainer is None or trainer.config.model not in models:
        st.warning(t("This shared run is not on the server any more (it was closed, or the link is incomplete). "
                     "Ask for a new link, or train your own."))
        return None
    st.info(t("You are watching a shared run live: {model} on {data}. Only the person who started it can "
              "control it.", model=t(training.MODEL_LABELS[trainer.config.model]),
              data=t(datasets.DATASET_LABELS.get(trainer.config.dataset, UPLOAD_LABEL))),
            icon=":material/visibility:")
    return trainer


def follow_the_shared_run(trainer: training.Trainer):
    """In a watcher's live view: when the owner pressed Reset, their link's id names a new run; the whole page
    reruns so the watcher moves to it (a fragment cannot swap the run it was drawn for)."""
    if worker.find_run(trainer.run_id) is not trainer:
        st.rerun()


def train_your_own_button():
    if st.button(t("Train your own"), icon=":material/model_training:"):
        del st.query_params["watch"]
        st.rerun()


# A running training's page redraws this often: its charts, drawn by the browser, cost a projector laptop (or, on a
# small server that also runs the browser, the training) far more than the server's page run. Streamlit hashes a
# chart's figure into its element id, so each redraw mounts every chart anew (docs/PERFORMANCE.md, decision 40).
# Once per sample period of the worker: a redraw in between would show no new samples.
RUNNING_REDRAW_S = worker.SAMPLE_PERIOD_S
PAUSED_REDRAW_S = 5.0  # a paused run holding a slot looks again now and then: it says when the slot goes back


def live_polling(snap: dict, watching: bool) -> float | None:
    """Seconds between redraws of a live view: every RUNNING_REDRAW_S while a run trains, every second while it
    prepares, waits or takes single steps, every 2 s for a watcher (the owner may press Reset and start a new
    run under the same link), every PAUSED_REDRAW_S for a paused run holding a slot, never otherwise."""
    if snap["status"] == Status.RUNNING and not snap["pending"]:
        return RUNNING_REDRAW_S
    if is_busy(snap):
        return 1.0
    if watching:
        return 2.0
    return PAUSED_REDRAW_S if snap["status"] == Status.PAUSED and snap["has_slot"] else None


def status_block(snap: dict, numbers: str = ""):
    """The run's status line, its place in the queue, and its message and note. On a projector the status, the
    run's `numbers` (a short line of its key figures) and the note share one compact line, so the first screen
    holds the samples and the curves."""
    status = snap["status"]
    preparing = " — " + t("loading data and building the model…") if status == Status.PREPARING else ""
    heading = f"{STATUS_ICONS.get(status, ':gray[:material/circle:]')} {t(status.capitalize())}{preparing}"
    if shell.presenter_active():
        st.container(key="status-compact").markdown(f"## {heading}" + (f" · {numbers}" if numbers else ""))
    else:
        st.markdown(f"## {heading}")
    queue_notice(snap)
    if snap["message"]:
        (st.error if status == Status.ERROR else st.info)(message(snap["message"]))
    if snap["note"]:
        if shell.presenter_active():
            st.caption(":material/info: " + message(snap["note"]))
        else:
            st.warning(message(snap["note"]))


def own_run(page: str, settings_ui, state: PageState | None = None) -> tuple[PageState, training.TrainConfig,
                                                                            training.Trainer]:
    """The top of a training lesson: its settings (`settings_ui(state, sidebar)` returns the config and an uploaded
    data set or None), this tab's trainer and the row of controls. `state`: the page's, when it already has one."""
    state = state or PageState(page)
    config, user_dataset = settings_ui(state, st.sidebar)
    trainer = session_trainer(config, user_dataset, page)
    controls_ui(trainer, config, user_dataset, page)
    wait_to_take_back(page)
    return state, config, trainer
