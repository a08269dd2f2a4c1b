import io

import numpy as np
import streamlit as st

from engine import data as datasets
from engine import device, training
from engine.errors import ConvLabError
from ui import figures, training_view
from ui.i18n import message, t
from ui.state import PageState
from ui.uploads import parse_once

TRAINER = "train.trainer"
UPLOAD_LABEL = "Your own file (.npz, IDX, .zip)"
STATUS_ICONS = {"running": ":green[:material/play_circle:]", "preparing": ":orange[:material/hourglass_top:]",
                "paused": ":blue[:material/pause_circle:]", "finished": ":green[:material/check_circle:]",
                "stopped": ":gray[:material/stop_circle:]", "error": ":red[:material/error:]"}


def main():
    st.title(t("Train live: autoencoders, VAE and DCGAN"))
    state = PageState("train")
    config, user_dataset, device_name = settings_ui(state, st.sidebar)
    trainer = session_trainer(config, user_dataset)
    controls_ui(trainer, config, user_dataset, device_name)
    snap = trainer.snapshot()  # before live_view(), so a full run never asks for itself again
    st.session_state["train.walk_shown"] = (config.model == "vae" and "latent" in snap["samples"]
                                            and snap["status"] != "preparing")
    live_view(trainer, config.model)
    if st.session_state["train.walk_shown"]:
        latent_walk(state, trainer, snap, config.latent_dim)
    if snap["step"] > 0 and trainer.status not in ("preparing", "running"):
        downloads_ui(trainer, config.model)
    how_it_works()


def settings_ui(state: PageState, side) -> tuple[training.TrainConfig, datasets.Dataset | None, str]:
    """The sidebar: model, data (or an upload), layout, batch, learning rate, time limit."""
    model = state.select(t("Model"), list(training.MODELS), "model", "ae", container=side,
                         format_func=training.MODEL_LABELS.get,
                         help=t("AE: autoencoder that compresses and rebuilds images, with an UpSampling2D+Conv2D or "
                                "a Conv2DTranspose decoder. VAE: variational autoencoder. DCGAN: generator vs "
                                "discriminator."))
    dataset_name, user_dataset = dataset_ui(state, side)
    with st.spinner(t("Loading Keras and looking for a GPU…")):  # the first call imports Keras: seconds
        device_name = device.framework_accelerator()
    on_gpu = not device_name.startswith("CPU")
    preset, latent_dim, gan_width = "better", 2, 1.0
    if model in ("ae", "ae-transpose"):
        preset = state.select(t("Layout"), list(training.AE_PRESETS), "preset", "better", container=side,
                              format_func=lambda p: t(training.AE_PRESET_LABELS[p]),
                              help=t("Better: wider layers and binary cross-entropy, clear reconstructions in "
                                     "seconds. Classic: the original tutorial's layout and loss, which stays blurry "
                                     "for longer."))
    elif model == "vae":
        latent_dim = state.select_slider(t("Latent dimensions"), [2, 4, 8, 16], "latent", 2, container=side)
    else:
        gan_width = state.select_slider(t("Network width"), [0.25, 0.5, 1.0], "width", 1.0 if on_gpu else 0.25,
                                        container=side,
                                        help=t("1.0 = the reference DCGAN (256/128/64 filters). On a CPU, 0.25 "
                                               "trains about 10x faster."))
    batch_size = state.select_slider(t("Batch size"), [16, 32, 64, 128, 256], "batch", 64, container=side)
    lr = state.select_slider(t("Learning rate"), [1e-5, 1e-4, 2e-4, 5e-4, 1e-3, 3e-3, 1e-2, 0.1, 1.0], "lr",
                             training.default_learning_rate(model), container=side, format_func=lambda v: f"{v:g}")
    seconds = state.slider(t("Time limit (seconds)"), "secs", 120, 10, 600, 10, container=side)
    config = training.TrainConfig(model=model, dataset=dataset_name, preset=preset, latent_dim=latent_dim,
                                  gan_width=gan_width, batch_size=batch_size, learning_rate=lr, seconds=float(seconds))
    return config, user_dataset, device_name


def dataset_ui(state: PageState, side) -> tuple[str, datasets.Dataset | None]:
    """A named dataset, or the user's file (parsed once per upload; refused files say why)."""
    dataset_name = state.select(t("Dataset"), list(datasets.DATASETS) + ["upload"], "data", "mnist", container=side,
                                format_func=lambda d: t(datasets.DATASET_LABELS.get(d, UPLOAD_LABEL)))
    if dataset_name != "upload":
        return dataset_name, None
    user_dataset = None
    file = side.file_uploader(t("Dataset file"), type=["npz", "zip", "gz", "idx", "ubyte"], key="train.user_file")
    if file is not None:
        try:
            user_dataset = parse_once(file, datasets.load_user_dataset, file.name)
            if user_dataset.note:
                side.info(message(user_dataset.note))
        except ConvLabError as exc:
            side.error(message(exc))
    if user_dataset is None:
        side.caption(t("No usable file yet: the built-in digits will be used."))
        return "builtin", None
    return dataset_name, user_dataset


def session_trainer(config: training.TrainConfig, user_dataset) -> training.Trainer:
    """This session's trainer; an idle one follows the settings, a started one keeps its own until Reset."""
    trainer: training.Trainer | None = st.session_state.get(TRAINER)
    if trainer is None or (trainer.status == "idle" and (trainer.config != config or user_dataset is not None)):
        trainer = training.Trainer(config, dataset=user_dataset)
        st.session_state[TRAINER] = trainer
    return trainer


def controls_ui(trainer: training.Trainer, config: training.TrainConfig, user_dataset, device_name: str):
    """Device badges and the Play / Pause / Step / Stop / Reset row."""
    def run_control(action):
        try:
            action()
        except training.TrainingBusy as exc:
            st.session_state["train.error"] = message(exc)

    def reset():
        trainer.stop()
        trainer.join(timeout=30)  # its server slot is free again before the new trainer can take one
        st.session_state[TRAINER] = training.Trainer(config, dataset=user_dataset)
        st.session_state.pop("train.downloads", None)

    on_gpu = not device_name.startswith("CPU")
    st.markdown(f"**{t('Device')}:** :{'green' if on_gpu else 'gray'}-badge[{device_name}] "
                f":blue-badge[{t('Keras backend')}: {device.keras_backend()}]")
    c1, c2, c3, c4, c5 = st.columns(5)
    active = trainer.status in ("preparing", "running")
    ended = trainer.status in ("finished", "error", "stopped")
    c1.button(t("Play"), icon=":material/play_arrow:", type="primary", on_click=run_control, args=(trainer.play,),
              disabled=active or ended, width="stretch")
    c2.button(t("Pause"), icon=":material/pause:", on_click=trainer.pause, disabled=not active, width="stretch")
    c3.button(t("Step"), icon=":material/skip_next:", on_click=run_control, args=(trainer.step,),
              disabled=active or ended, width="stretch")
    c4.button(t("Stop"), icon=":material/stop:", on_click=trainer.stop, disabled=trainer.status == "idle" or ended,
              width="stretch")
    c5.button(t("Reset"), icon=":material/restart_alt:", on_click=reset, width="stretch")
    if st.session_state.get("train.error"):
        st.error(st.session_state.pop("train.error"))
    if trainer.config != config and trainer.status != "idle":
        st.info(t("You changed a setting: press **Reset** to train with the new settings."))


def live_view(trainer: training.Trainer, model: str):
    """Status, metrics, curves and samples, redrawn every second while the trainer works."""
    active = trainer.status in ("preparing", "running")

    @st.fragment(run_every=1.0 if active else None)
    def live():
        snap = trainer.snapshot()
        status = snap["status"]
        preparing = " — " + t("loading data and building the model…") if status == "preparing" else ""
        st.markdown(f"### {STATUS_ICONS.get(status, ':gray[:material/circle:]')} {t(status.capitalize())}{preparing}")
        if snap["message"]:
            (st.error if status == "error" else st.info)(message(snap["message"]))
        if snap["note"]:
            st.warning(message(snap["note"]))
        m = st.columns(5)
        m[0].metric(t("Steps"), f"{snap['step']:,}")
        m[1].metric(t("Epoch"), f"{snap['epoch']:.2f}")
        m[2].metric(t("Images / s"), f"{snap['images_per_s']:,.0f}")
        m[3].metric(t("Time left"), "—" if snap["eta"] is None else f"{snap['eta']:.0f} s")
        m[4].metric(t("Training time"), f"{snap['elapsed']:.0f} s")
        history, samples = snap["history"], snap["samples"]
        left, right = st.columns(2)
        if history["step"]:
            left.plotly_chart(training_view.loss_figure(history, title=t("Loss")), config=figures.PLOTLY_CONFIG)
            if model == "dcgan":
                labels = (t("D accuracy on real"), t("D accuracy on fake"),
                          t("Discriminator accuracy (0.5 = it cannot tell)"))
                right.plotly_chart(training_view.accuracy_figure(history, labels=labels), config=figures.PLOTLY_CONFIG)
        if "grid" in samples:
            title = (t("Generated from fixed noise at step {n}") if model == "dcgan"
                     else t("Reconstructions at step {n}"))
            if "originals" in samples:
                right.image(samples["originals"], caption=t("Originals (test images)"), width="stretch", clamp=True)
            right.image(samples["grid"], caption=title.format(n=samples["step"]), width="stretch", clamp=True)
        if "latent" in samples:
            a, b = st.columns(2)
            a.plotly_chart(training_view.latent_figure(samples["latent"], samples["latent_labels"],
                                                       title=t("Test images in the 2-D latent space")),
                           config=figures.PLOTLY_CONFIG)
            if "latent_grid" in samples:
                b.image(samples["latent_grid"], caption=t("Decoding a grid of latent points (z₁ across, z₂ up)"),
                        width="stretch", clamp=True)
            elif "prior_samples" in samples:
                b.image(samples["prior_samples"], caption=t("Decoded from random latent points"), width="stretch",
                        clamp=True)
        walk_missing = not st.session_state.get("train.walk_shown")
        if model == "vae" and "latent" in samples and status != "preparing" and walk_missing:
            st.rerun()  # the latent walk below has a slider, so it lives outside this fragment: show it now
        if status in ("finished", "error", "stopped") and st.session_state.get("train.was_active"):
            st.session_state["train.was_active"] = False
            st.rerun()
        st.session_state["train.was_active"] = status in ("preparing", "running")


    live()


def latent_walk(state: PageState, trainer: training.Trainer, snap: dict, latent_dim: int):
    """The VAE's latent space, decoded between two test digits (outside the fragment: it has a slider)."""
    with st.expander(t("Walk through the latent space"), expanded=True):
        latent, labels = snap["samples"]["latent"], snap["samples"]["latent_labels"]
        if latent_dim == 2:
            mix = state.slider(t("Interpolate from the first test digit to the second"), "interp", 0.0, 0.0, 1.0,
                               0.05)
            z = (1 - mix) * latent[0] + mix * latent[1]
            a, b = st.columns([1, 3])
            a.image(trainer.decode_latent(z)[..., 0], caption=f"z = ({z[0]:.2f}, {z[1]:.2f})", width=160, clamp=True)
            b.caption(t("Digit {a} sits at {za}; digit {b} at {zb}. Points in between decode to blends.",
                        a=labels[0], b=labels[1], za=f"({latent[0][0]:.2f}, {latent[0][1]:.2f})",
                        zb=f"({latent[1][0]:.2f}, {latent[1][1]:.2f})"))
        else:
            st.caption(t("Interpolation is shown for a 2-D latent space."))


def downloads_ui(trainer: training.Trainer, model: str):
    """The trained model, a GIF of the samples over time, and the last samples."""
    with st.expander(t("Downloads")):
        if st.button(t("Prepare model, GIF and samples")):
            with st.spinner(t("Exporting…")):
                buf = io.BytesIO()
                np.savez_compressed(buf, samples=trainer.samples_array(64))
                st.session_state["train.downloads"] = (trainer.export_model_bytes(), trainer.gif_bytes(),
                                                       buf.getvalue())
        if "train.downloads" in st.session_state:
            model_bytes, gif, npz = st.session_state["train.downloads"]
            a, b, c = st.columns(3)
            a.download_button(t("Model (.keras)"), model_bytes, f"convlab_{model}.keras")
            b.download_button(t("Samples over time (.gif)"), gif, f"convlab_{model}.gif", "image/gif")
            c.download_button(t("Samples (.npz, values in [0, 1])"), npz, f"convlab_{model}_samples.npz")


def how_it_works():
    """Where the training runs and what the GAN's numbers mean."""
    with st.expander(t("How this works")):
        st.markdown(t(
            "- Training runs in a background thread that belongs to your browser session; this page polls it every "
            "second. You can visit other lessons and come back: it keeps going until the time limit.\n"
            "- At most {n} trainings run on this server at once; paused trainings give their slot back after {minutes} "
            "minutes.\n"
            "- The GAN trains the discriminator on real and generated images (made in training mode), then the "
            "generator through the frozen discriminator. 50% accuracy means the discriminator can no longer tell "
            "them apart.\n"
            "- Same thing from a terminal: `python -m engine.train --model dcgan --data mnist --epochs 5 "
            "--out runs/gan`.",
            n=training.MAX_CONCURRENT, minutes=training.PAUSED_IDLE_LIMIT_S // 60))


main()
