"""Train live: an autoencoder, a VAE or a DCGAN trained in a worker process while the page shows its curves and
samples; play / pause / step / stop / reset, a fair queue of training slots, a read-only "Share this run" link
and downloads that load in plain Keras."""
import io

import numpy as np
import streamlit as st

from engine import data as datasets
from engine import device, training, worker
from engine.errors import ConvLabError
from engine.settings import Status
from ui import caching, exercises, figures, i18n, shell, training_controls, training_view
from ui.i18n import message, t
from ui.state import PageState
from ui.training_controls import (
    control_state,
    dataset_ui,
    follow_the_shared_run,
    live_polling,
    own_run,
    status_block,
    watch_view,
)

PAGE = "train"


def main():
    st.title(t("Train live: autoencoders, VAE and DCGAN"))
    if "watch" in st.query_params:  # a "Share this run" link: read-only, holds no slot, starts nothing
        watch_view(st.query_params.get("watch"), training.GENERATIVE_MODELS,
                   lambda trainer: live_view(trainer, trainer.config.model, watching=True))
        return
    state, config, trainer = own_run(PAGE, settings_ui)
    snap = trainer.snapshot()  # before live_view(), so a full run never asks for itself again
    st.session_state["train.walk_shown"] = (config.model == "vae" and "latent" in snap["samples"]
                                            and snap["status"] != Status.PREPARING)
    live_view(trainer, config.model)
    if st.session_state["train.walk_shown"]:
        latent_walk(state, trainer, snap, config.latent_dim)
    if snap["samples"].get("grid_classes") and snap["status"] != Status.PREPARING:
        a_row_of_one_digit(state, trainer, snap["samples"]["grid_classes"], snap["step"])
    if snap["step"] > 0 and trainer.status not in (Status.PREPARING, Status.RUNNING):
        downloads_ui(trainer, config.model)
    how_it_works()
    exercises.show("train")


def settings_ui(state: PageState, side) -> tuple[training.TrainConfig, datasets.Dataset | None]:
    """The sidebar: model, data (or an upload), layout, batch, learning rate(s), time limit; GAN Lab's settings."""
    model = state.select(t("Model"), list(training.GENERATIVE_MODELS), "model", "ae", container=side,
                         format_func=lambda m: t(training.MODEL_LABELS[m]),
                         help=t("AE: autoencoder that compresses and rebuilds images, with an UpSampling2D+Conv2D or "
                                "a Conv2DTranspose decoder. VAE: variational autoencoder. DCGAN: generator vs "
                                "discriminator."))
    dataset_name, user_dataset = dataset_ui(state, side)
    on_gpu = not device.accelerator_without_loading().startswith("CPU")  # the GAN recipe depends on it
    extra: dict = {}
    if model in ("ae", "ae-transpose"):
        extra["preset"] = state.select(t("Layout"), list(training.AE_PRESETS), "preset", "better", container=side,
                                       format_func=lambda p: t(training.AE_PRESET_LABELS[p]),
                                       help=t("Better: wider layers and binary cross-entropy, clear reconstructions "
                                              "in seconds. Classic: the original tutorial's layout and loss, which "
                                              "stays blurry for longer."))
    elif model == "vae":
        extra["latent_dim"] = state.select_slider(t("Latent dimensions"), [2, 4, 8, 16], "latent", 2, container=side)
        extra["vae_beta"] = state.select_slider(
            t("KL weight β"), [0.1, 0.25, 0.5, 1.0, 2.0, 4.0], "beta", training.VAE_BETA, container=side,
            format_func=lambda v: f"{v:g}",
            help=t("1 is the plain VAE (the ELBO). Smaller: sharper reconstructions and digit classes further apart "
                   "in the latent space; larger: a smoother latent space that follows the prior more closely."))
        extra["vae_deskew"] = state.toggle(
            t("Straighten the digits first (deskew)"), "deskew", True, container=side,
            help=t("Each grayscale image is sheared upright and centred before the VAE sees it (colour images stay as "
                   "they are). With two latent numbers per image, a VAE of slanted digits spends one of them on the "
                   "slant; straightened, the digits lie further apart on the map. Off: the digits as written."))
    recipe = training.gan_recipe(on_gpu) if model == "dcgan" else {}
    batch_size = state.select_slider(t("Batch size"), [16, 32, 64, 128, 256], "batch",
                                     recipe.get("batch_size", 64), container=side)
    lr_label = t("Generator learning rate") if model == "dcgan" else t("Learning rate")
    lr = state.select_slider(lr_label, LEARNING_RATES, "lr", training.default_learning_rate(model, on_gpu),
                             container=side, format_func=lambda v: f"{v:g}")
    if model == "dcgan":
        labelled = user_dataset is None or user_dataset.labelled  # else the plain DCGAN, which needs no labels
        extra.update(gan_settings(state, side, recipe | {"conditional": recipe["conditional"] and labelled}))
    seconds = state.slider(t("Time limit (seconds)"), "secs", 120, 10, 600, 10, container=side)
    config = training.TrainConfig(model=model, dataset=dataset_name, batch_size=batch_size, learning_rate=lr,
                                  seconds=float(seconds), **extra)
    return config, user_dataset


GAN_SMOOTH = 25
LEARNING_RATES = [1e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 3e-3, 1e-2, 0.1, 1.0]


def gan_settings(state: PageState, side, recipe: dict) -> dict:
    """GAN Lab's knobs: width, loss, D's own learning rate, k discriminator steps per generator step, smoothing."""
    with side.expander(t("GAN settings"), expanded=True):
        return dict(
            gan_width=state.select_slider(t("Network width"), [0.25, 0.5, 1.0], "width", recipe["gan_width"],
                                          help=t("1.0 = the reference DCGAN (256/128/64 filters). On a CPU, 0.25 "
                                                 "trains about 10x faster.")),
            gan_loss=state.select(t("GAN loss"), list(training.GAN_LOSSES), "loss", recipe["gan_loss"],
                                  format_func=lambda k: t(training.GAN_LOSSES[k]),
                                  help=t("Non-saturating: binary cross-entropy, G maximises log D(G(z)). Hinge: D "
                                         "pushes real scores above 1 and fakes below -1. Least squares: D's scores "
                                         "regress to 1 (real) and 0 (fake).")),
            d_learning_rate=state.select_slider(t("Discriminator learning rate"), LEARNING_RATES, "dlr",
                                                recipe["d_learning_rate"], format_func=lambda v: f"{v:g}",
                                                help=t("Two time-scale update rule (TTUR): D and G may learn at "
                                                       "different speeds.")),
            d_steps=state.slider(t("Discriminator steps per generator step (k)"), "k", recipe["d_steps"], 1, 5),
            label_smoothing=state.select_slider(t("Label smoothing (real target 1 - s)"), [0.0, 0.1, 0.2], "smooth",
                                                recipe["label_smoothing"], format_func=lambda v: f"{v:g}"),
            conditional=state.toggle(t("Tell it which digit to draw (conditional GAN)"), "cond",
                                     recipe["conditional"],
                                     help=t("G gets the digit with its noise and D judges each image with its "
                                            "label (needs labelled images): each column of samples draws one digit, "
                                            "0 to 9. Off: the plain DCGAN, which draws whatever digit it likes.")),
            d_dropout=recipe["d_dropout"], ema=recipe["ema"], noise_dim=recipe["noise_dim"],
        )


def live_view(trainer: training.Trainer, model: str, watching: bool = False):
    """Status, metrics, curves and samples, redrawn every second while the trainer works (watchers: always)."""
    @st.fragment(run_every=live_polling(trainer.snapshot(), watching))
    def live():
        if watching:
            follow_the_shared_run(trainer)
        snap = trainer.shared_snapshot() if watching else trainer.snapshot()
        if shell.presenter_active():  # the projector's first screen: one status line, then samples and curves
            status_block(snap, numbers=key_numbers(snap))
        else:
            status_block(snap)
            metrics_row(snap)
        if watching:  # a class watching the teacher's run: the charts are built once per new step for all of them
            watched_charts(snap, model)
        else:
            charts(snap, model)
            rerun_when_controls_change(snap, model)

    live()


def metrics_row(snap: dict):
    m = [training_controls.metric_row()] * 5
    m[0].metric(t("Steps"), f"{snap['step']:,}")
    m[1].metric(t("Epoch"), f"{snap['epoch']:.2f}")
    m[2].metric(t("Images / s"), f"{snap['images_per_s']:,.0f}")
    m[3].metric(t("Time left"), "—" if snap["eta"] is None else f"{snap['eta']:.0f} s")
    m[4].metric(t("Training time"), f"{snap['elapsed']:.0f} s")


def key_numbers(snap: dict) -> str:
    """The run's figures a class needs, in one line (steps, training time, time left)."""
    left = "" if snap["eta"] is None else f" · {t('Time left')} {snap['eta']:.0f} s"
    return f"{t('Steps')} {snap['step']:,} · {t('Training time')} {snap['elapsed']:.0f} s{left}"


def watched_charts(snap: dict, model: str):
    """The charts of a shared run, drawn once per snapshot, language and size, and replayed for every watcher."""
    shown = (snap["run_id"], len(snap["history"]["step"]), snap["samples"].get("step"), snap["status"],
             i18n.current(), shell.presenter_active())  # with `model`, hashed as an argument of its own
    _charts_for_watchers(snap, model, shown)


@caching.cache_resource(max_entries=8, show_spinner=False)
def _charts_for_watchers(_snap: dict, model: str, shown: tuple):
    charts(_snap, model)


def charts(snap: dict, model: str):
    """The curves and the samples; the DCGAN's samples come first, beside its loss, so a projector's first screen
    shows what the generator draws."""
    history, samples = snap["history"], snap["samples"]
    cfg = figures.plotly_config(snap["status"])
    gan = model == "dcgan"  # its per-step numbers jump about: each point is the mean of the last GAN_SMOOTH steps
    left, right = st.columns(2)
    loss_column = right if gan else left
    if gan and "grid" in samples:
        told = " · " + t("column k draws digit k") if samples.get("grid_classes") else ""
        left.image(samples["grid"], caption=t("Generated from fixed noise at step {n}").format(n=samples["step"])
                   + (" · " + t("moving average of G's weights") if snap["config"]["ema"] else "") + told,
                   width="stretch", clamp=True,
                   alt=t("A grid of digits the generator drew from fixed noise at step {n}", n=samples["step"]))
    if history["step"]:
        title = t("Loss (mean of the last {n} steps)", n=GAN_SMOOTH) if gan else t("Loss")
        loss_column.plotly_chart(training_view.loss_figure(history, title=title, smooth=GAN_SMOOTH if gan else 1),
                                 config=cfg)
    if gan:
        left, right = st.columns(2)
        if history["step"]:
            labels = (t("D accuracy on real"), t("D accuracy on fake"),
                      t("Discriminator accuracy (0.5 = it cannot tell), mean of the last {n} steps", n=GAN_SMOOTH))
            left.plotly_chart(training_view.accuracy_figure(history, labels=labels, smooth=GAN_SMOOTH),
                              config=cfg)
        if "d_real" in samples:
            probability = snap["config"]["gan_loss"] == "ns"
            labels = (t("real images"), t("generated images"),
                      t("What D thinks: its score on real and generated images"),
                      t("D's probability that the image is real") if probability else t("D's raw score"))
            right.plotly_chart(training_view.score_histogram(samples["d_real"], samples["d_fake"],
                                                             samples["d_threshold"], probability=probability,
                                                             labels=labels), config=cfg)
    elif "grid" in samples:
        if "originals" in samples:
            # a grayscale grid is 2-D: only grayscale images are straightened
            straightened = model == "vae" and snap["config"].get("vae_deskew") and samples["originals"].ndim == 2
            right.image(samples["originals"], width="stretch", clamp=True,
                        caption=t("Originals (test images, straightened)") if straightened
                        else t("Originals (test images)"),
                        alt=t("A grid of handwritten test digits, the autoencoder's inputs"))
        right.image(samples["grid"], caption=t("Reconstructions at step {n}").format(n=samples["step"]),
                    width="stretch", clamp=True,
                    alt=t("The network's reconstructions of those test digits at step {n}", n=samples["step"]))
    if "latent" in samples:
        a, b = st.columns(2)
        a.plotly_chart(training_view.latent_figure(samples["latent"], samples["latent_labels"],
                                                   title=t("Test images in the 2-D latent space")),
                       config=cfg)
        if "latent_knn" in samples:
            a.caption(t("How well the digits are told apart: {p} of these test digits have the same label as most of "
                        "their 5 nearest neighbours in this space.", p=f"{samples['latent_knn']:.0%}"))
        if "latent_grid" in samples:
            b.image(samples["latent_grid"], caption=t("Decoding a grid of latent points (z₁ across, z₂ up)"),
                    width="stretch", clamp=True,
                    alt=t("Digits decoded from a grid of points of the 2-D latent space, changing smoothly"))
        elif "prior_samples" in samples:
            b.image(samples["prior_samples"], caption=t("Decoded from random latent points"), width="stretch",
                    clamp=True, alt=t("Digits decoded from random points of the latent space"))


def rerun_when_controls_change(snap: dict, model: str):
    """The buttons live outside this fragment: when what they depend on changes (a step from idle finished, the
    queue started the run, the run ended), rerun the page so they are enabled right and show this step."""
    walk_missing = not st.session_state.get("train.walk_shown")
    if model == "vae" and "latent" in snap["samples"] and snap["status"] != Status.PREPARING and walk_missing:
        st.rerun()  # the latent walk below has a slider, so it lives outside this fragment: show it now
    if control_state(snap) != st.session_state.get("train.controls"):
        st.rerun()


def latent_walk(state: PageState, trainer: training.Trainer, snap: dict, latent_dim: int):
    """The VAE's latent space, decoded between two test digits (outside the fragment: it has a slider)."""
    with st.expander(t("Walk through the latent space"), expanded=True):
        latent, labels = snap["samples"]["latent"], snap["samples"]["latent_labels"]
        if latent_dim == 2:
            mix = state.slider(t("Interpolate from the first test digit to the second"), "interp", 0.0, 0.0, 1.0,
                               0.05)
            z = (1 - mix) * latent[0] + mix * latent[1]
            a, b = st.columns([1, 3])
            a.image(trainer.decode_latent(z)[..., 0], caption=f"z = ({z[0]:.2f}, {z[1]:.2f})", width=160, clamp=True,
                    alt=t("The digit the decoder draws at z = ({z})", z=f"{z[0]:.2f}, {z[1]:.2f}"))
            b.caption(t("Digit {a} sits at {za}; digit {b} at {zb}. Points in between decode to blends.",
                        a=labels[0], b=labels[1], za=f"({latent[0][0]:.2f}, {latent[0][1]:.2f})",
                        zb=f"({latent[1][0]:.2f}, {latent[1][1]:.2f})"))
        else:
            st.caption(t("Interpolation is shown for a 2-D latent space."))


def a_row_of_one_digit(state: PageState, trainer: training.Trainer, classes: int, step: int):
    """A conditional DCGAN draws what it is asked for: ten samples of one digit (outside the fragment: it has a
    control; drawn again when the digit or the step changes)."""
    with st.expander(t("Ask the generator for one digit"), expanded=True):
        digit = int(state.select(t("Digit"), [str(d) for d in range(classes)], "digit", str(min(7, classes - 1)),
                                 radio=True, horizontal=True))
        key = (trainer.run_id, step, digit)
        if st.session_state.get("train.row", (None,))[0] != key:
            try:
                row = datasets.image_grid(trainer.samples_array(10, label=digit), cols=10)
            except ConvLabError as exc:
                st.info(message(exc))
                return
            st.session_state["train.row"] = (key, row)
        st.image(st.session_state["train.row"][1], width="stretch", clamp=True,
                 caption=t("Ten samples of the digit {d}, from new noise, at step {n}", d=digit, n=step),
                 alt=t("A row of ten {d}s the generator drew when asked for that digit", d=digit))


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
            "- Training runs in its own process on the server, which belongs to your browser tab; this page shows "
            "its newest snapshot every few seconds. You can visit other lessons and come back: it keeps going "
            "until the time limit. Closing the tab stops it.\n"
            "- At most {n} trainings run on this server at once; the others wait in a fair line and start by "
            "themselves. A paused training gives its slot back after {seconds} s and joins the line again on Play.\n"
            "- **Share this run** gives a link with which a whole class can watch this training live without "
            "training themselves.\n"
            "- One GAN iteration is one compiled step: k discriminator updates on real and generated images, then one "
            "generator update through the discriminator. **Step D** and **Step G** train one network only, as in GAN "
            "Lab. 50% accuracy means the discriminator can no longer tell real from fake.\n"
            "- The VAE learns from straightened digits unless you turn that off: each one sheared upright and centred "
            "first, as in LeCun's deskewed MNIST. Its downloaded model expects digits straightened the same way "
            "(`engine.data.deskew`).\n"
            "- Same thing from a terminal: `python -m engine.train --model dcgan --data mnist --seconds 120 "
            "--out runs/gan`.",
            n=worker.slot_capacity(), seconds=f"{training.PAUSED_RELEASE_S:g}"))


main()
