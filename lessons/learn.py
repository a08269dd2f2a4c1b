"""What a network learns: a small CNN trained live on digits, its first-layer kernels beside the hand-made presets,
feature maps, the layer table and its mistakes; or a .keras model a student brings, read without running it."""
import numpy as np
import streamlit as st

from engine import cnn, images, kernels, own_model, training
from engine import data as datasets
from engine.errors import ConvLabError
from ui import caching, cnn_view, exercises, figures, markdown, shell, snippets, training_controls
from ui.i18n import message, t
from ui.image_picker import image_picker
from ui.state import PageState
from ui.training_controls import (
    control_state,
    dataset_ui,
    follow_the_shared_run,
    is_busy,
    live_polling,
    own_run,
    status_block,
    watch_view,
)
from ui.uploads import parse_once

PAGE = "learn"
LIVE_ABOUT = ("Conv 3×3 → ReLU → max-pool, twice, then one dense layer: a few thousand weights, trained live on "
              "digits. Its first-layer kernels start random and come to look like the hand-made ones of the Kernels "
              "lesson.")
SMOOTH = 25  # per-batch training numbers are noisy: each point is the mean of the last SMOOTH steps
SAMPLE_EVERY = 50  # steps between held-out scores and kernel snapshots (each costs ~20 training steps' time)
TABS = {"kernels": "Learned kernels", "maps": "Feature maps", "layers": "Layers & parameters",
        "mistakes": "Confusion & mistakes"}


def main():
    st.title(t("What a network learns: a small CNN and its kernels"))
    about = st.empty()
    if "watch" in st.query_params:
        about.caption(t(LIVE_ABOUT))
        watch_view(st.query_params.get("watch"), ("cnn",), lambda trainer: live_view(trainer, watching=True))
        return
    state = PageState(PAGE)
    network = state.select(t("Network"), list(NETWORKS), "net", "live", radio=True, container=st.sidebar,
                           format_func=lambda n: t(NETWORKS[n]))
    if network == "own":
        about.caption(t("A network trained elsewhere, opened from its .keras file: its layers, its first "
                        "convolution's kernels beside the hand-made ones of the Kernels lesson, and a picture "
                        "through every layer."))
        own_network(state)
        return
    about.caption(t(LIVE_ABOUT))
    state, _, trainer = own_run(PAGE, settings_ui, state)
    live_view(trainer)
    views(state, trainer)
    exercises.show("learn")


# --- a network a student trained elsewhere ---------------------------------------------------------------------

NETWORKS = {"live": "Train the small CNN here", "own": "Open your own (.keras)"}
OWN_TABS = {"olayers": "Layers & parameters", "okernels": "First-layer kernels", "omaps": "An image through it"}
INPUT_RANGES = {"unit": (0.0, 1.0), "signed": (-1.0, 1.0), "bytes": (0.0, 255.0)}
INPUT_RANGE_LABELS = {"unit": "0 to 1", "signed": "−1 to 1 (a DCGAN's discriminator)", "bytes": "0 to 255"}
SHOWN_CHANNELS = 16


def own_network(state: PageState):
    """A model a student trained elsewhere: its layer table, its first convolution's kernels beside the hand-made
    ones, and any picture through its layers. Read by ConvLab itself, without Keras and without running its code."""
    file = st.sidebar.file_uploader(t("Your model (.keras)"), type=["keras"], key="learn.own_file")
    if file is None:
        st.info(t("Upload a Keras 3 model saved with `model.save('name.keras')`: an image classifier, an encoder or "
                  "a discriminator, one chain of layers. ConvLab reads its layers and weights without running any "
                  "of its code. The file stays in your browser session and is not part of shared links."),
                icon=":material/upload_file:")
        return
    try:
        model = parse_once(file, own_model.read_keras_file)
    except ConvLabError as exc:
        st.error(message(exc))
        return
    st.markdown(t("**{name}**: {n} layers, **{params} parameters**, takes {h}×{w} images with {c} channel(s).",
                  name=markdown.escape(model.name, 60), n=len(model.layers), params=f"{model.params:,}",
                  h=model.input_shape[0], w=model.input_shape[1], c=model.input_shape[2]))
    bodies = {"olayers": own_layers_tab, "okernels": own_kernels_tab, "omaps": own_maps_tab}
    file_id = getattr(file, "file_id", file.name)
    state.show_tabs({tab_id: (t(label), lambda body=bodies[tab_id]: body(state, model, file_id))
                     for tab_id, label in OWN_TABS.items()}, key="otab")


def own_layers_tab(state: PageState, model: own_model.OwnModel, file_id: str):
    rows = model.layers
    st.dataframe(shell.frame({t("Layer"): [r.name for r in rows], t("Type"): [r.kind for r in rows],
                              t("Output shape"): [str((None, *r.out_shape)) for r in rows],
                              t("Parameters"): [f"{r.params:,}" for r in rows]}), hide_index=True, width="stretch")
    st.markdown(t("**{total} parameters** in all: the same table as Keras' `model.summary()`. A Conv2D layer has "
                  "kh·kw·C_in·filters weights plus one bias per filter; a Dense layer inputs·units plus units; "
                  "BatchNormalization four numbers per channel.", total=f"{model.params:,}"))


def own_kernels_tab(state: PageState, model: own_model.OwnModel, file_id: str):
    found = own_model.first_conv(model)
    if found is None:
        st.info(t("This model has no Conv2D layer."))
        return
    _, layer = found
    learned = cnn.first_layer_kernels(layer.weights[0])[:SHOWN_CHANNELS * 2]
    kh, kw = learned.shape[1:]
    st.markdown(t("**Layer {name}**: {f} kernels of {kh}×{kw}, each summed over the {c} input channel(s) (how it "
                  "responds to brightness).", name=markdown.escape(layer.name, 40), f=layer.config["filters"], kh=kh,
                  kw=kw, c=layer.weights[0].shape[2]))
    if (kh, kw) == (3, 3):
        matches = cnn.closest_presets(learned)
        st.plotly_chart(cnn_view.kernel_pairs_figure(learned, matches), config=figures.PLOTLY_CONFIG)
    else:
        st.caption(t("The hand-made presets are 3×3, so these {kh}×{kw} kernels are shown on their own.", kh=kh,
                     kw=kw))
        st.plotly_chart(cnn_view.feature_maps_figure(np.moveaxis(learned, 0, -1), t("Kernels"), True, cols=8),
                        config=figures.PLOTLY_CONFIG)
    pick = state.slider(t("Kernel to open"), "ok", 1, 1, len(learned)) - 1
    if max(kh, kw) > kernels.MAX_KERNEL_SIDE:
        st.caption(t("The Kernels lesson takes kernels up to {n}×{n}.", n=kernels.MAX_KERNEL_SIDE))
        return
    open_in_kernels_lesson(learned[pick], pick + 1)


def open_in_kernels_lesson(kernel: np.ndarray, number: int) -> None:
    """A kernel's numbers (3 decimals) and a button that opens them in the Kernels lesson as a custom kernel."""
    text = kernels.grid_to_text(np.round(kernel, 3))
    st.code(text, language=None, wrap_lines=True)
    st.link_button(t("Open kernel #{i} in the Kernels lesson", i=number),
                   shell.share_link("kernels", {"kernel": "custom", "kc": text}), icon=":material/open_in_new:")


SHOWN_LAYERS = 12


@caching.cache_data(max_entries=4, show_spinner=False)
def _through(_model: own_model.OwnModel, _image: np.ndarray, shown: tuple) -> tuple[list, np.ndarray]:
    """What the view shows of one picture through the model, once per model, picture and input range (`shown`
    names them): the first SHOWN_LAYERS image-shaped outputs (their first SHOWN_CHANNELS channels, by layer index)
    and the last layer's output; only that is kept."""
    outputs = own_model.forward(_model, _image)
    maps = [(i, out[..., :SHOWN_CHANNELS]) for i, out in enumerate(outputs) if out.ndim == 3][:SHOWN_LAYERS]
    return maps, outputs[-1]


def own_maps_tab(state: PageState, model: own_model.OwnModel, file_id: str):
    h, w, c = model.input_shape
    picked = image_picker(state, key="oimg", max_side=max(64, h, w), heading=t("Picture"))
    scale = state.select(t("The model expects input values from"), list(INPUT_RANGES), "orange", "unit",
                         container=st.sidebar, format_func=lambda r: t(INPUT_RANGE_LABELS[r]))
    picture = images.resize(picked.array if c == 3 else images.to_gray(picked.array), (h, w))
    lo, hi = INPUT_RANGES[scale]
    x = (picture if c == 3 else picture[..., None]) * (hi - lo) + lo
    try:
        with shell.outside_turn():  # up to about a second of NumPy for a large model: other students go first
            maps, final = _through(model, x, (file_id, picked.key, scale))
    except ConvLabError as exc:
        st.error(message(exc))
        return
    left, right = st.columns([1, 2])
    left.plotly_chart(figures.rgb_image(picture, t("Input, {h}×{w}", h=h, w=w), height=220),
                      config=figures.PLOTLY_CONFIG)
    final = final.reshape(-1)
    if model.probabilities:
        right.plotly_chart(cnn_view.class_scores_figure(final, None, t("Class scores (softmax): predicts {p} ({c})",
                                                                       p=int(final.argmax()),
                                                                       c=f"{final.max():.0%}")),
                           config=figures.PLOTLY_CONFIG)
    elif final.size <= 10:
        right.markdown(t("**Output**: {values}", values=", ".join(f"{v:.4g}" for v in final)))
    shown_maps = [(model.layers[i], out) for i, out in maps]
    st.caption(t("Each layer's first {n} channels, computed by ConvLab's NumPy engine from the file's weights "
                 "(the tests check it against Keras, layer by layer). Red is positive, blue negative; maps with no "
                 "negative values are grey.", n=SHOWN_CHANNELS))
    for start in range(0, len(shown_maps), 3):
        for column, (layer, out) in zip(st.columns(3), shown_maps[start:start + 3]):
            title = f"{layer.name} · {layer.kind} · {'×'.join(map(str, layer.out_shape))}"
            column.plotly_chart(cnn_view.feature_maps_figure(out, title, bool((out < 0).any()), cols=4),
                                config=figures.PLOTLY_CONFIG)


def settings_ui(state: PageState, side) -> tuple[training.TrainConfig, datasets.Dataset | None]:
    dataset_name, user_dataset = dataset_ui(state, side)
    size = state.select(t("Network size"), list(cnn.CNN_SIZES), "size", "small", container=side,
                        format_func=lambda s: t(cnn.CNN_SIZE_LABELS[s]),
                        help=t("Filters in the first and the second convolution. More filters: more kernels to "
                               "look at, slower steps."))
    batch_size = state.select_slider(t("Batch size"), [16, 32, 64, 128, 256], "batch", 64, container=side)
    lr = state.select_slider(t("Learning rate"), [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1], "lr",
                             training.CNN_LEARNING_RATE, container=side, format_func=lambda v: f"{v:g}")
    seconds = state.slider(t("Time limit (seconds)"), "secs", 60, 10, 600, 10, container=side)
    config = training.TrainConfig(model="cnn", dataset=dataset_name, cnn_size=size, batch_size=batch_size,
                                  learning_rate=lr, seconds=float(seconds), sample_every=SAMPLE_EVERY)
    return config, user_dataset


def live_view(trainer: training.Trainer, watching: bool = False):
    """Status, numbers and the two curves, redrawn every second while the network trains."""
    @st.fragment(run_every=live_polling(trainer.snapshot(), watching))
    def live():
        if watching:
            follow_the_shared_run(trainer)
        snap = trainer.shared_snapshot() if watching else trainer.snapshot()
        if shell.presenter_active():  # the projector's first screen: one status line, then the kernels
            status_block(snap, numbers=key_numbers(snap))
            projector_view(snap)
        else:
            status_block(snap)
            metrics_row(snap)
            curves(snap)
            if watching and snap["samples"].get("kernels") is not None:
                kernels_figure(snap["samples"])
        if not watching and control_state(snap) != st.session_state.get(f"{PAGE}.controls"):
            st.rerun()  # the buttons and the tabs below live outside this fragment

    live()


def metrics_row(snap: dict):
    history = snap["history"]
    train_acc = training.moving_average(history.get("accuracy", []), SMOOTH)
    held = [v for v in history.get("val_accuracy", []) if np.isfinite(v)]
    m = [training_controls.metric_row()] * 4
    m[0].metric(t("Steps"), f"{snap['step']:,}")
    m[1].metric(t("Training accuracy"), f"{train_acc[-1]:.1%}" if len(train_acc) else "—")
    m[2].metric(t("Held-out accuracy"), f"{held[-1]:.1%}" if held else "—",
                help=t("On test images the network never trains on."))
    m[3].metric(t("Training time"), f"{snap['elapsed']:.0f} s")


def key_numbers(snap: dict) -> str:
    """Steps, held-out accuracy and training time, in one line."""
    held = [v for v in snap["history"].get("val_accuracy", []) if np.isfinite(v)]
    accuracy = f" · {t('Held-out accuracy')} {held[-1]:.1%}" if held else ""
    return f"{t('Steps')} {snap['step']:,}{accuracy} · {t('Training time')} {snap['elapsed']:.0f} s"


def projector_view(snap: dict):
    """The learned kernels beside their presets, across the screen (the status line above carries the accuracy;
    the curves are in the normal view and the tabs)."""
    if snap["samples"].get("kernels") is not None:
        kernels_figure(snap["samples"])


def curves(snap: dict):
    history = snap["history"]
    if not history["step"]:
        return
    labels = (t("training (mean of the last {n} steps)", n=SMOOTH), t("held-out"))
    cfg = figures.plotly_config(snap["status"])
    left, right = st.columns(2)
    left.plotly_chart(cnn_view.classifier_curves(history, "loss", t("Loss"), labels), config=cfg)
    right.plotly_chart(cnn_view.classifier_curves(history, "accuracy", t("Accuracy"), labels, y_range=(0, 1.02)),
                       config=cfg)


def views(state: PageState, trainer: training.Trainer):
    """The four views of the live network, as tabs kept in the link; only the open one is computed, and it
    refreshes every few seconds while the network trains."""
    polling = training_controls.RUNNING_REDRAW_S if is_busy(trainer.snapshot()) else None

    def live(run):
        @st.fragment(run_every=polling)
        def body():
            snap = trainer.snapshot()
            if "kernels" not in snap["samples"]:
                st.info(t("Press **Play** (or **Step**): this view shows the network as it trains."),
                        icon=":material/play_arrow:")
                return
            run(state, trainer, snap["samples"])
        body()

    draws = {"kernels": lambda: live(kernels_tab), "maps": lambda: live(maps_tab),
             "layers": lambda: layers_tab(state, trainer), "mistakes": lambda: live(mistakes_tab)}
    state.show_tabs({tab_id: (t(label), draws[tab_id]) for tab_id, label in TABS.items()})


def kernels_figure(samples: dict):
    st.plotly_chart(cnn_view.kernel_pairs_figure(samples["kernels"], samples["matches"]),
                    config=figures.PLOTLY_CONFIG)


def kernels_tab(state: PageState, trainer, samples: dict):
    """Learned first-layer kernels, each beside its closest preset, how that closeness grew, and a way out to the
    Kernels lesson."""
    st.markdown(t("**First-layer kernels at step {n}**, each next to the hand-made kernel it is most like. The "
                  "number after the name is the |cosine similarity| of the nine weights (1: the same pattern up to "
                  "scale and sign, 0: nothing in common); **−** marks a kernel that is the preset's negative.",
                  n=f"{samples['step']:,}"))
    kernels_figure(samples)
    learned, matches = samples["kernels"], samples["matches"]
    left, right = st.columns([3, 2])
    with left:
        pick = state.slider(t("Kernel to follow"), "k", 1, 1, len(learned)) - 1
        st.plotly_chart(cnn_view.similarity_figure(
            samples["kernel_history"], cnn.MATCH_PRESETS, pick,
            title=t("Kernel #{i}: similarity to its closest presets during training", i=pick + 1)),
            config=figures.PLOTLY_CONFIG)
    with right:
        st.markdown(t("Kernel #{i} ≈ **{preset}** (similarity {s})", i=pick + 1, s=f"{matches[pick].similarity:.2f}",
                      preset=("−" if matches[pick].sign < 0 else "") + t(matches[pick].preset.capitalize())))
        open_in_kernels_lesson(learned[pick], pick + 1)
        st.caption(t("Opens a new tab with this kernel as a custom kernel, applied as a cross-correlation, which is "
                     "what the network's Conv2D layer computes."))


def maps_tab(state: PageState, trainer: training.Trainer, samples: dict):
    """One held-out image through the live network: every layer's output and the class scores."""
    n = samples["eval_images"]
    index = state.number(t("Test image (0 to {last})", last=n - 1), "img", 0, 0, n - 1, 1)
    try:
        image, label = trainer.held_out(index)
        out = cnn.forward(samples["weights"], image)
    except ConvLabError as exc:
        st.error(message(exc))
        return
    predicted = int(np.argmax(out["probabilities"]))
    left, right = st.columns([1, 2])
    left.plotly_chart(figures.rgb_image(image[..., 0] if image.shape[-1] == 1 else image, t("Input"), height=220),
                      config=figures.PLOTLY_CONFIG)
    right.plotly_chart(cnn_view.class_scores_figure(
        out["probabilities"], label,
        t("Class scores (softmax): predicts {p} ({c}); the label is {y}", p=predicted,
          c=f"{out['probabilities'][predicted]:.0%}", y=label)), config=figures.PLOTLY_CONFIG)
    st.caption(t("Convolution outputs are signed (red positive, blue negative); after ReLU and pooling the maps are "
                 "non-negative and drawn in grey, darker = stronger. Computed by ConvLab's NumPy engine from the "
                 "network's weights at step {n}.", n=f"{samples['step']:,}"))
    for i in (1, 2):
        cols = st.columns(3)
        for column, (name, signed) in zip(cols, ((f"conv{i}", True), (f"relu{i}", False), (f"pool{i}", False))):
            maps = out[name]
            title = f"{name} · {maps.shape[0]}×{maps.shape[1]}×{maps.shape[2]}"
            column.plotly_chart(cnn_view.feature_maps_figure(maps, title, signed, cols=4),
                                config=figures.PLOTLY_CONFIG)


def layers_tab(state: PageState, trainer: training.Trainer):
    """Each layer's output shape and parameter count, from the engine's calculator."""
    config = trainer.config
    data = trainer.snapshot()["samples"]
    shape = trainer.input_shape or datasets.DATASET_SHAPES.get(config.dataset, (28, 28, 1))
    rows = cnn.layer_table(shape, config.cnn_size, data.get("classes", 10))
    table = shell.frame({t("Layer"): [r.name for r in rows], t("Type"): [r.kind for r in rows],
                          t("Output shape"): [str((None, *r.out_shape)) for r in rows],
                          t("Parameters"): [f"{r.params:,}" for r in rows]})
    st.dataframe(table, hide_index=True, width="stretch")
    total = sum(r.params for r in rows)
    a, b = cnn.CNN_SIZES[config.cnn_size]
    st.markdown(t("**{total} parameters** in all. conv1: 3·3·{c}·{a} weights + {a} biases; conv2: 3·3·{a}·{b} + {b}; "
                  "the dense layer: {f}·{k} + {k}. Keras' `model.summary()` lists the same numbers.",
                  total=f"{total:,}", c=shape[2], a=a, b=b, f=rows[-2].out_shape[0], k=rows[-1].out_shape[0]))
    st.code(snippets.keras_small_cnn(shape, (a, b), rows[-1].out_shape[0]), language="python")


def mistakes_tab(state: PageState, trainer: training.Trainer, samples: dict):
    """The confusion matrix on held-out images, and the images the network was surest about and got wrong."""
    counts = samples["confusion"]
    correct = int(np.trace(counts))
    st.markdown(t("**{correct} of {n}** held-out images right ({acc}) at step {step}. Off-diagonal cells are the "
                  "mistakes: row = the true class, column = what the network said.", correct=f"{correct:,}",
                  n=f"{counts.sum():,}", acc=f"{correct / max(counts.sum(), 1):.1%}", step=f"{samples['step']:,}"))
    left, right = st.columns([3, 2])
    left.plotly_chart(cnn_view.confusion_figure(counts, t("Confusion matrix (held-out)")),
                      config=figures.PLOTLY_CONFIG)
    with right:
        st.markdown(t("**The surest mistakes**"))
        mistakes = samples["mistakes"]
        if not mistakes:
            st.success(t("No held-out image is misclassified."))
        grid = st.columns(3)
        for slot, (index, predicted, confidence) in zip(range(len(mistakes)), mistakes):
            image, label = trainer.held_out(index)
            big = np.kron(np.clip(image, 0, 1), np.ones((4, 4, 1)))  # nearest-neighbour: pixels stay sharp
            grid[slot % 3].image(big, width="stretch", clamp=True,
                                 caption=t("#{i}: {y} → {p} ({c})", i=index, y=label, p=predicted,
                                           c=f"{confidence:.0%}"),
                                 alt=t("Held-out image #{i}: a {y} that the network read as {p}, {c} sure",
                                       i=index, y=label, p=predicted, c=f"{confidence:.0%}"))


main()
