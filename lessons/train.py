import io

import numpy as np
import streamlit as st

from engine import data as datasets
from engine import device, training
from ui import figures, training_view
from ui.state import PageState

st.title("Train live: autoencoders, VAE and DCGAN")
state = PageState("train")
side = st.sidebar
TRAINER = "train.trainer"


@st.cache_resource(show_spinner="Loading Keras and looking for a GPU…")
def accelerator() -> str:
    return device.framework_accelerator()


model = state.select("Model", list(training.MODELS), "model", "ae", container=side,
                     format_func={"ae": "AE · UpSampling2D", "ae-transpose": "AE · Conv2DTranspose",
                                  "vae": "VAE", "dcgan": "DCGAN"}.get,
                     help="AE: autoencoder that compresses and rebuilds images, with an UpSampling2D+Conv2D or a "
                          "Conv2DTranspose decoder. VAE: variational autoencoder. DCGAN: generator vs discriminator.")
dataset_name = state.select("Dataset", list(datasets.DATASETS) + ["upload"], "data", "mnist", container=side,
                            format_func=lambda d: datasets.DATASET_LABELS.get(d, "Your own file (.npz, IDX, .zip)"))
user_dataset = None
if dataset_name == "upload":
    file = side.file_uploader("Dataset file", type=["npz", "zip", "gz", "idx", "ubyte"], key="train.user_file")
    if file is not None:
        try:
            user_dataset = datasets.load_user_dataset(file.getvalue(), file.name)
        except datasets.DatasetError as exc:
            side.error(str(exc))
    if user_dataset is None:
        side.caption("No usable file yet: the built-in digits will be used.")
        dataset_name = "builtin"
on_gpu = accelerator() != "CPU" and not accelerator().startswith("CPU")
preset, latent_dim, gan_width = "better", 2, 1.0
if model in ("ae", "ae-transpose"):
    preset = state.select("Layout", ["better", "classic"], "preset", "better", container=side,
                          format_func={"better": "Better: 16-32-8 + BCE", "classic": "Classic: 16-8-4 + MSE"}.get,
                          help="Better: wider layers and binary cross-entropy, clear reconstructions in seconds. "
                               "Classic: the original tutorial's layout and loss, which stays blurry for longer.")
elif model == "vae":
    latent_dim = state.select_slider("Latent dimensions", [2, 4, 8, 16], "latent", 2, container=side)
else:
    gan_width = state.select_slider("Network width", [0.25, 0.5, 1.0], "width", 1.0 if on_gpu else 0.25, container=side,
                                    help="1.0 = the reference DCGAN (256/128/64 filters). On a CPU, 0.25 trains "
                                         "about 10x faster.")
batch_size = state.select_slider("Batch size", [16, 32, 64, 128, 256], "batch", 64, container=side)
default_lr = 2e-4 if model == "dcgan" else 1e-3
lr = state.select_slider("Learning rate", [1e-5, 1e-4, 2e-4, 5e-4, 1e-3, 3e-3, 1e-2, 0.1, 1.0], "lr", default_lr,
                         container=side, format_func=lambda v: f"{v:g}")
seconds = state.slider("Time limit (seconds)", "secs", 120, 10, 600, 10, container=side)

config = training.TrainConfig(model=model, dataset=dataset_name, preset=preset, latent_dim=latent_dim,
                              gan_width=gan_width, batch_size=batch_size, learning_rate=lr, seconds=float(seconds))
trainer: training.Trainer | None = st.session_state.get(TRAINER)
if trainer is None or (trainer.status == "idle" and (trainer.config != config or user_dataset is not None)):
    trainer = training.Trainer(config, dataset=user_dataset)
    st.session_state[TRAINER] = trainer


def run_control(action):
    try:
        action()
    except training.TrainingBusy as exc:
        st.session_state["train.error"] = str(exc)


def reset():
    trainer.reset(config)
    st.session_state[TRAINER] = training.Trainer(config, dataset=user_dataset)
    st.session_state.pop("train.downloads", None)


badge = st.container()
badge.markdown(f"**Device:** :{'green' if on_gpu else 'gray'}-badge[{accelerator()}] "
               f":blue-badge[Keras backend: {device.keras_backend()}]")
c1, c2, c3, c4, c5 = st.columns(5)
active = trainer.status in ("preparing", "running")
c1.button("Play", icon=":material/play_arrow:", type="primary", on_click=run_control, args=(trainer.play,),
          disabled=active or trainer.status in ("finished", "error", "stopped"), width="stretch")
c2.button("Pause", icon=":material/pause:", on_click=trainer.pause, disabled=not active, width="stretch")
c3.button("Step", icon=":material/skip_next:", on_click=run_control, args=(trainer.step,),
          disabled=active or trainer.status in ("finished", "error", "stopped"), width="stretch")
c4.button("Stop", icon=":material/stop:", on_click=trainer.stop, disabled=trainer.status in ("idle", "finished", "error", "stopped"),
          width="stretch")
c5.button("Reset", icon=":material/restart_alt:", on_click=reset, width="stretch")
if st.session_state.get("train.error"):
    st.error(st.session_state.pop("train.error"))
if trainer.config != config and trainer.status != "idle":
    st.info("You changed a setting: press **Reset** to train with the new settings.")


@st.fragment(run_every=1.0 if active else None)
def live():
    snap = trainer.snapshot()
    status = snap["status"]
    icon = {"running": ":green[:material/play_circle:]", "preparing": ":orange[:material/hourglass_top:]",
            "paused": ":blue[:material/pause_circle:]", "finished": ":green[:material/check_circle:]",
            "stopped": ":gray[:material/stop_circle:]", "error": ":red[:material/error:]"}.get(status, ":gray[:material/circle:]")
    st.markdown(f"### {icon} {status.capitalize()}" + (" — loading data and building the model…" if status == "preparing" else ""))
    if snap["message"]:
        (st.error if status == "error" else st.info)(snap["message"])
    if snap["note"]:
        st.warning(snap["note"])
    m = st.columns(5)
    m[0].metric("Step", f"{snap['step']:,}")
    m[1].metric("Epoch", f"{snap['epoch']:.2f}")
    m[2].metric("Images / s", f"{snap['images_per_s']:,.0f}")
    m[3].metric("Time left", "—" if snap["eta"] is None else f"{snap['eta']:.0f} s")
    m[4].metric("Training time", f"{snap['elapsed']:.0f} s")
    history, samples = snap["history"], snap["samples"]
    left, right = st.columns(2)
    if history["step"]:
        left.plotly_chart(training_view.loss_figure(history), config=figures.PLOTLY_CONFIG, key="train.loss")
        if model == "dcgan":
            right.plotly_chart(training_view.accuracy_figure(history), config=figures.PLOTLY_CONFIG, key="train.acc")
    if "grid" in samples:
        title = "Generated from fixed noise" if model == "dcgan" else "Reconstructions"
        if "originals" in samples:
            right.image(samples["originals"], caption="Originals (test images)", width="stretch", clamp=True)
        right.image(samples["grid"], caption=f"{title} at step {samples['step']}", width="stretch", clamp=True)
    if "latent" in samples:
        a, b = st.columns(2)
        a.plotly_chart(training_view.latent_figure(samples["latent"], samples["latent_labels"]),
                       config=figures.PLOTLY_CONFIG, key="train.latent")
        if "latent_grid" in samples:
            b.image(samples["latent_grid"], caption="Decoding a grid of latent points (z₁ across, z₂ up)",
                    width="stretch", clamp=True)
        elif "prior_samples" in samples:
            b.image(samples["prior_samples"], caption="Decoded from random latent points", width="stretch", clamp=True)
    if snap["status"] in ("finished", "error", "stopped") and st.session_state.get("train.was_active"):
        st.session_state["train.was_active"] = False
        st.rerun()
    st.session_state["train.was_active"] = status in ("preparing", "running")


live()

snap = trainer.snapshot()
if model == "vae" and "latent" in snap["samples"] and trainer.status != "preparing":
    with st.expander("Walk through the latent space", expanded=True):
        latent, labels = snap["samples"]["latent"], snap["samples"]["latent_labels"]
        t = state.slider("Interpolate from the first test digit to the second", "interp", 0.0, 0.0, 1.0, 0.05)
        if latent_dim == 2:
            z = (1 - t) * latent[0] + t * latent[1]
        else:
            z = None
        if z is not None:
            a, b = st.columns([1, 3])
            a.image(trainer.decode_latent(z)[..., 0], caption=f"z = ({z[0]:.2f}, {z[1]:.2f})", width=160, clamp=True)
            b.caption(f"Digit {labels[0]} sits at ({latent[0][0]:.2f}, {latent[0][1]:.2f}); digit {labels[1]} at "
                      f"({latent[1][0]:.2f}, {latent[1][1]:.2f}). Points in between decode to blends.")
        else:
            st.caption("Interpolation is shown for a 2-D latent space.")

if snap["step"] > 0 and trainer.status not in ("preparing", "running"):
    with st.expander("Downloads"):
        if st.button("Prepare model, GIF and samples"):
            with st.spinner("Exporting…"):
                buf = io.BytesIO()
                np.savez_compressed(buf, samples=trainer.samples_array(64))
                st.session_state["train.downloads"] = (trainer.export_model_bytes(), trainer.gif_bytes(), buf.getvalue())
        if "train.downloads" in st.session_state:
            model_bytes, gif, npz = st.session_state["train.downloads"]
            a, b, c = st.columns(3)
            a.download_button("Model (.keras)", model_bytes, f"convlab_{model}.keras")
            b.download_button("Samples over time (.gif)", gif, f"convlab_{model}.gif", "image/gif")
            c.download_button("Samples (.npz, values in [0, 1])", npz, f"convlab_{model}_samples.npz")

with st.expander("How this works"):
    st.markdown(
        "- Training runs in a background thread that belongs to your browser session; this page polls it every "
        "second. You can visit other lessons and come back: it keeps going until the time limit.\n"
        f"- At most {training.MAX_CONCURRENT} trainings run on this server at once; paused trainings give their slot "
        "back after 10 minutes.\n"
        "- The GAN trains the discriminator on real and generated images (made in training mode), then the generator "
        "through the frozen discriminator. 50% accuracy means the discriminator can no longer tell them apart.\n"
        "- Same thing from a terminal: `python -m engine.train --model dcgan --data mnist --epochs 5 --out runs/gan`.")
