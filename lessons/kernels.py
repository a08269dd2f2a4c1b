"""Kernels: what a convolution does to an image. A kernel (a preset, its parameters or typed numbers) slides over a
picture with a chosen stride, padding, dilation and boundary; tabs show filter -> ReLU -> max-pool, a closer look
with every window's multiply-adds, the step-by-step sliding window on a small matrix, Conv2D/Dense shape and
parameter arithmetic, and a check against SciPy and TensorFlow."""
import numpy as np
import streamlit as st

from engine import checks, conv, images, kernels
from engine.errors import ConvLabError
from ui import caching, exercises, figures, markdown, shell, snippets
from ui.i18n import message, t
from ui.image_picker import image_picker
from ui.player import step_player
from ui.state import PageState, editor_edit_fits

DEFAULT_CUSTOM = "1,0,-1;2,0,-2;1,0,-1"
OPERATION_LABELS = {"correlation": "Cross-correlation (what Conv2D layers do)",
                    "convolution": "Convolution (kernel flipped)"}


def main():
    st.title(t("Kernels: what a convolution does to an image"))
    state = PageState("kernels")
    picked = image_picker(state, default_sample="house", max_side=256, heading=t("Image"))
    kernel = kernel_ui(state, st.sidebar)
    settings, pool = sliding_ui(state, st.sidebar)
    shared = (picked.key, kernel.shape, kernel.tobytes(), tuple(settings.items()))
    try:
        gray, filtered, colour = responses(picked.array, kernel, settings, shared)
    except ConvLabError as exc:
        st.error(message(exc))
        st.stop()
    shape = conv.conv2d_layer_shape((*gray.shape, 1), 1, kernel.shape, settings["stride"], settings["padding"],
                                    settings["dilation"])
    views = {"pipe": (t("Filter → Detect → Condense"), lambda: pipeline_tab(picked.array, kernel, filtered, colour,
                                                                            pool, settings["flip"], shape, shared)),
             "closer": (t("Look closer"), lambda: closer_tab(state, gray, kernel, filtered, settings, shared)),
             "numbers": (t("Numbers, step by step"), lambda: numbers_tab(state, kernel, settings)),
             "shapes": (t("Shapes & parameters"), lambda: shapes_tab(state)),
             "check": (t("Check & code"), lambda: check_tab(gray, kernel, filtered, settings))}
    state.show_tabs(views)
    exercises.show("kernels")


SHARED_ENTRIES = 8  # results shared by sessions (a class clicking along with the teacher), a few MB each


@caching.cache_resource(max_entries=SHARED_ENTRIES, show_spinner=False)
def responses(_image: np.ndarray, _kernel: np.ndarray, _settings: dict, shared: tuple) -> tuple:
    """The grey input, its response and the colour response, computed once for all sessions that show the same
    picture (`shared` names it, the kernel and the settings) and never written to."""
    gray = images.to_gray(_image)
    out = gray, conv.conv2d(gray, _kernel, **_settings), conv.conv2d(_image, _kernel, **_settings)
    for array in out:
        array.setflags(write=False)
    return out


def kernel_ui(state: PageState, side) -> np.ndarray:
    """The sidebar's kernel controls: a preset, its parameters, or an editable grid. Returns the kernel."""
    side.subheader(t("Kernel"))
    preset = state.select(t("Preset"), kernels.PRESET_NAMES, "kernel", "edge", container=side,
                          format_func=lambda name: t(name.capitalize()))
    side.caption(t(kernels.EXPLANATIONS[preset]))
    if preset == "gaussian blur":
        g_size = state.slider(t("Gaussian size"), "gsize", 5, 1, kernels.MAX_KERNEL_SIDE, container=side)
        g_sigma = state.slider(t("Gaussian sigma"), "gsigma", 1.0, 0.2, 4.0, 0.1, container=side)
        return _copy_button(state, side, kernels.gaussian_kernel(g_size, g_sigma))
    if preset == "random":
        r_size = state.slider(t("Random kernel size"), "rsize", 3, 1, kernels.MAX_KERNEL_SIDE, container=side)
        r_seed = state.number(t("Random seed"), "seed", 0, 0, 10_000, container=side)
        return _copy_button(state, side, kernels.random_kernel(r_size, r_seed))
    if preset == "custom":
        return custom_kernel_ui(state, side)
    return _copy_button(state, side, kernels.get_kernel(preset))


def chosen_kernel_label() -> str:
    """The chosen preset's name as the sidebar shows it (images' alternative text names the kernel)."""
    return t(str(st.session_state.get("kernels.kernel", "edge")).capitalize())


def _copy_button(state: PageState, side, kernel: np.ndarray) -> np.ndarray:
    values = kernels.grid_to_text(kernel)

    def copy_to_custom():
        st.session_state["kernels.kernel"] = "custom"
        state.set_value("kc", values, DEFAULT_CUSTOM)
    side.button(t("Edit these numbers"), on_click=copy_to_custom, icon=":material/edit:")
    return kernel


def custom_kernel_ui(state: PageState, side) -> np.ndarray:
    """A kernel typed into a grid; its size and numbers live in the link."""
    custom_text = state.value("kc", DEFAULT_CUSTOM, lambda raw: kernels.grid_to_text(kernels.grid_from_text(raw)),
                              t("rows of 1-7 numbers separated by ';', cells by ',', e.g. 1,0,-1;2,0,-2;1,0,-1"))
    kernel = kernels.grid_from_text(custom_text)
    rows = side.number_input(t("Rows"), 1, kernels.MAX_KERNEL_SIDE, kernel.shape[0], key="kernels.kc_rows")
    cols = side.number_input(t("Columns"), 1, kernels.MAX_KERNEL_SIDE, kernel.shape[1], key="kernels.kc_cols")
    if (rows, cols) != kernel.shape:
        resized = np.zeros((rows, cols), np.float32)
        h, w = min(rows, kernel.shape[0]), min(cols, kernel.shape[1])
        resized[:h, :w] = kernel[:h, :w]
        kernel = resized
        state.set_value("kc", kernels.grid_to_text(kernel), DEFAULT_CUSTOM)
    side.caption(t("Edit the numbers (cells accept any finite number):"))
    grid_key = f"kernels.grid.{kernels.grid_to_text(kernel)}.{st.session_state.get('kernels.grid_nonce', 0)}"
    if not editor_edit_fits(_widget_state(grid_key), kernel.shape):
        # Streamlit would add every row such a message names, one by one, before this page sees the grid; a fresh
        # key drops the message unread
        st.session_state["kernels.grid_nonce"] = st.session_state.get("kernels.grid_nonce", 0) + 1
        side.error(t("That change to the grid was not an edit of its cells; keeping the last valid kernel."))
        return kernel
    edited = side.data_editor(shell.frame(kernel), key=grid_key, hide_index=True, width="stretch")
    try:
        new_kernel = kernels.validate_grid(edited.to_numpy().tolist())
        if not np.array_equal(new_kernel, kernel):
            state.set_value("kc", kernels.grid_to_text(new_kernel), DEFAULT_CUSTOM)
            st.rerun()
    except ConvLabError as exc:
        side.error(f"{message(exc)} " + t("Keeping the last valid kernel."))
    return kernel


def _widget_state(key: str):
    try:
        return st.session_state.get(key)
    except Exception:  # no state yet, or none Streamlit can read back: nothing to check
        return None


def sliding_ui(state: PageState, side) -> tuple[dict, int]:
    """How the kernel slides: operation, stride, padding, dilation, boundary; and the pooling window."""
    side.subheader(t("Sliding"))
    flip = state.select(t("Operation"), ["correlation", "convolution"], "op", "correlation", radio=True,
                        container=side, format_func=lambda op: t(OPERATION_LABELS[op])) == "convolution"
    stride = state.slider(t("Stride"), "stride", 1, 1, 4, container=side)
    padding = state.select(t("Padding"), list(conv.PADDING_NAMES), "pad", "same", container=side,
                           help=t("valid: no padding, output shrinks · same: output = ceil(input / stride) · "
                                  "full: every partial overlap"))
    dilation = state.slider(t("Dilation"), "dil", 1, 1, 4, container=side, help=t("Spread the kernel taps apart."))
    boundary = state.select(t("Boundary mode (how pixels beyond the edge are made up)"), list(conv.BOUNDARY_MODES),
                            "boundary", "constant", container=side)
    pool = state.slider(t("Max-pool size"), "pool", 2, 1, 4, container=side)
    return dict(stride=stride, padding=padding, dilation=dilation, boundary=boundary, flip=flip), pool


def pipeline_tab(image: np.ndarray, kernel: np.ndarray, filtered: np.ndarray, colour: np.ndarray, pool: int,
                 flip: bool, shape: conv.Conv2DShape, shared: tuple):
    """Filter -> detect (ReLU) -> condense (max-pool), two by two so each map is large; pictures in grey, signed
    responses in red and blue."""
    with shell.crisp_pixels("pipeline"):
        draw_pipeline(image, kernel, filtered, colour, shared, pool, flip, shape, figures.look(), chosen_kernel_label())


@caching.cache_resource(max_entries=SHARED_ENTRIES, show_spinner=False)
def draw_pipeline(_image: np.ndarray, _kernel: np.ndarray, _filtered: np.ndarray, _colour: np.ndarray,
                  shared: tuple, pool: int, flip: bool, _shape: conv.Conv2DShape, look: tuple,
                  kernel_label: str) -> None:
    """The tab's five images, the kernel's matrix and their captions, drawn once for all sessions that show the
    same picture, kernel, settings, pool size, language and presenter scale (`shared`, `pool`, `look`; `flip` and
    the output shape follow from `shared`). Later runs get what this drew replayed by Streamlit (a cached
    function's elements, images included, are recorded with its result), without colouring and encoding the
    images again."""
    detected = conv.relu(_filtered)
    condensed = conv.max_pool2d(detected, pool) if min(detected.shape) >= pool else detected
    picture = kernels.makes_picture(_kernel)
    filtered, bound = filtered_colours(_filtered, picture, shared)  # one colour range for all three
    h, w = _image.shape[:2]
    maps = [(t("Input ({h}×{w})", h=h, w=w), _image),
            (t("Filter: conv {h}×{w}", h=_filtered.shape[0], w=_filtered.shape[1]), filtered),
            (t("Detect: ReLU"), figures.coloured(detected, picture=picture, zmax=bound)[0]),
            (t("Condense: max-pool {p}×{p} → {h}×{w}", p=pool, h=condensed.shape[0], w=condensed.shape[1]),
             figures.coloured(condensed, picture=picture, zmax=bound)[0])]
    # two by two so each map is large; on a projector one row of four, so the whole pipeline is on the first screen
    rows = (maps,) if look[1] > 1 else (maps[:2], maps[2:])
    for row in rows:
        for column, (title, pixels) in zip(st.columns(len(row)), row):
            pixel_image(column, title, pixels, MAP_PX, kernel_label if pixels is not _image else None)
    if picture:
        st.caption(t("This kernel's weights add up to {s} (more than 0): it keeps brightness, so its output is a "
                     "picture, drawn in grey (black 0, white 1, beyond that clipped). Kernels whose weights add up "
                     "to 0 (edges, Sobels) give signed responses, drawn in red and blue.",
                     s=f"{float(_kernel.sum()):.3g}"))
    else:
        st.caption(t("This kernel's weights add up to about 0: its output is a signed response, not a picture. Blue "
                     "is negative, white zero, red positive, full red at {b} and above (full blue at −{b} and "
                     "below; 99.5% of the responses are within). ReLU keeps only the red; max-pooling keeps the "
                     "strongest response in each window.", b=f"{bound:.3g}"))
    st.markdown(t("**Output size** · rows {rows} · columns {cols} · padding (top, bottom, left, right) = {pads}",
                  rows=_shape.formula_h, cols=_shape.formula_w, pads=_shape.pads))
    k1, k2 = st.columns([2, 3])
    applied = _kernel[::-1, ::-1] if flip else _kernel
    k1.markdown("**" + (t("Kernel as applied: flipped (convolution)") if flip else t("Kernel")) + "**")
    k1.latex(markdown.latex_matrix(applied))
    pixel_image(k2, t("The same kernel on each colour channel (clipped to 0..1)"), _colour, COLOUR_PX, kernel_label)


@caching.cache_resource(max_entries=SHARED_ENTRIES, show_spinner=False)
def filtered_colours(_filtered: np.ndarray, picture: bool, shared: tuple) -> tuple[np.ndarray, float]:
    """The filtered map coloured, and its colour range, once per view (`shared`): the first tab draws it, and the
    closer look frames it for every window a slider moves to."""
    pixels, bound = figures.coloured(_filtered, robust=True, picture=picture)
    pixels.setflags(write=False)
    return pixels, bound


MAP_PX, COLOUR_PX, OVERVIEW_PX = 360, 300, 260  # on-screen sides: the maps, the colour result, the closer look's map


def pixel_image(container, title: str, pixels: np.ndarray, side: int, kernel_label: str | None = None) -> None:
    """A map or picture as a plain image under its title; in a crisp_pixels container its pixels stay square.
    Images, not Plotly heatmaps: a first tab without Plotly finishes a fresh server's first run sooner and shows its
    maps 1.5-2 s sooner (docs/DECISIONS.md, record 29); the closer look's tab gives exact values on hover."""
    container.markdown(f"**{title}**")
    h, w = pixels.shape[:2]
    alt = (t("{title}: {h}×{w} pixels, {kernel} kernel", title=title, h=h, w=w, kernel=kernel_label) if kernel_label
           else t("{title}: {h}×{w} pixels", title=title, h=h, w=w))
    container.image(figures.png(pixels), width=figures.on_screen(side), output_format="PNG", alt=alt)


ZOOM = 16  # output pixels per side in the closer look: 256 hover texts, a few tens of kB


def closer_tab(state: PageState, gray: np.ndarray, kernel: np.ndarray, filtered: np.ndarray, settings: dict,
               shared: tuple):
    """Hover an output pixel and see its input window and multiply-adds (as setosa's Image Kernels and CNN
    Explainer do), on a 16x16 piece of the output that the two sliders move; beside it, where that piece lies.
    The piece starts where the output varies most, away from the padded border: never on a blank wall."""
    figs, controls = shell.figure_first()
    h, w = filtered.shape
    nh, nw = min(ZOOM, h), min(ZOOM, w)
    reach = conv.effective_kernel_size(max(kernel.shape), settings["dilation"]) // settings["stride"] + 1
    top0, left0 = conv.liveliest_window(filtered, (nh, nw), margin=reach)
    a, b = controls.columns(2)
    top = state.slider(t("Closer look: first row"), "zr", top0, 0, h - nh, container=a)
    left = state.slider(t("Closer look: first column"), "zc", left0, 0, w - nw, container=b)
    with figs, shell.crisp_pixels("closer"):
        st.markdown("**" + t("Look closer: hover an output pixel to see its window and multiply-adds") + "**")
        try:
            draw_closer_look(gray, kernel, filtered, settings, shared, top, left, (nh, nw), figures.look(),
                             chosen_kernel_label())
        except ConvLabError as exc:
            st.error(message(exc))


@caching.cache_resource(max_entries=SHARED_ENTRIES, show_spinner=False)
def draw_closer_look(_gray: np.ndarray, _kernel: np.ndarray, _filtered: np.ndarray, _settings: dict, shared: tuple,
                     top: int, left: int, size: tuple, look: tuple, kernel_label: str) -> None:
    """The closer look's figure and the filtered map with its window framed, drawn once for all sessions looking
    at the same window of the same view (and replayed by Streamlit on their later runs, like draw_pipeline)."""
    nh, nw = size
    rows, cols = np.arange(top, top + nh), np.arange(left, left + nw)
    patches, _, sums = conv.window_terms(_gray, _kernel, rows, cols, **_settings)
    applied = _kernel[::-1, ::-1] if _settings["flip"] else _kernel
    # Each cell's hover text is a Plotly template filled in by the browser from that cell's numbers (its position,
    # then its window): building 256 texts here was a fifth of a rerun's server time.
    numbers = [np.broadcast_to(rows[:, None, None], (nh, nw, 1)), np.broadcast_to(cols[None, :, None], (nh, nw, 1))]
    template = "out[%{customdata[0]}, %{customdata[1]}] = Σ window × kernel"
    if applied.size <= 25:
        kw = applied.shape[1]
        template += "<br>" + "<br>".join(
            " + ".join(f"(%{{customdata[{2 + i * kw + j}]:.2f}}×{weight:.2g})" for j, weight in enumerate(krow))
            for i, krow in enumerate(applied)) + "<br>= %{z:.4~g}"
        numbers.append(patches.reshape(nh, nw, -1))
    else:
        template += " = %{z:.4~g}"
    hover = (template, np.concatenate(numbers, axis=-1))
    picture = kernels.makes_picture(_kernel)
    overview, zoom = st.columns([2, 3])
    zoom.plotly_chart(figures.heatmap(sums, t("Output rows {r0}–{r1}, columns {c0}–{c1}", r0=rows[0], r1=rows[-1],
                                              c0=cols[0], c1=cols[-1]), robust=True, hover=hover, height=420,
                                      picture=picture, colorbar=False),
                      config=figures.PLOTLY_CONFIG)
    pixels = filtered_colours(_filtered, picture, shared)[0]  # as the first tab colours it
    pixel_image(overview, t("Where the window is (orange frame)"), figures.framed(pixels, top, left, nh, nw),
                OVERVIEW_PX, kernel_label)


NUMBER_INPUTS = {"demo": "The 6×6 picture (a line and a bar)", "typed": "Numbers I type (up to 7×7)"}
TYPED_DEFAULT = "0,1,2;3,4,5;6,7,8"
# (value, the page's default) for each setting; with TYPED_DEFAULT the output is [[8,12,14],[20,24,26],[26,30,32]]
TEXTBOOK_EXAMPLE = {"kernel": ("custom", "edge"), "kc": ("1,1;1,1", DEFAULT_CUSTOM),
                    "boundary": ("nearest", "constant"), "pad": ("same", "same"), "stride": (1, 1), "dil": (1, 1),
                    "op": ("correlation", "correlation"),
                    "src": ("typed", "demo"), "mat": (TYPED_DEFAULT, TYPED_DEFAULT), "demo": (False, True),
                    "step": (0, 0)}


def numbers_tab(state: PageState, kernel: np.ndarray, settings: dict):
    """The sliding window on a small matrix (the 6x6 picture or numbers the student types), one multiply-add at a
    time, and the whole output to check against a textbook."""
    figs, controls = shell.figure_first()
    source = state.select(t("Input matrix"), list(NUMBER_INPUTS), "src", "demo", radio=True, horizontal=True,
                          container=controls, format_func=lambda key: t(NUMBER_INPUTS[key]))
    matrix = conv.demo_matrix()
    if source == "typed":
        matrix = typed_matrix(state, controls)
    use_demo = state.toggle(t("Use the 2×2 demo kernel [[1, −1], [1, −1]] (off: the kernel chosen in the sidebar)"),
                            "demo", True, container=controls)
    with controls:
        if source == "demo":
            shell.intro(t("A 6×6 picture with a vertical line and a horizontal bar. Step the window across it and "
                          "watch each multiply-add fill in the output."))
        controls.button(t("Textbook example: 0..8 with a 2×2 kernel of ones, boundary nearest"),
                        on_click=open_textbook_example, args=(state,), icon=":material/school:")
    try:
        trace = conv.sliding_window_trace(matrix, conv.DEMO_KERNEL if use_demo else kernel, **settings)
    except ConvLabError as exc:
        st.error(message(exc))
        return
    cfg = figures.PLOTLY_CONFIG

    def numbers_view(n: int):
        info = trace.step(n)
        partial = np.full(trace.output.shape, np.nan)
        partial.flat[: n + 1] = trace.output.flat[: n + 1]
        a, b, c = st.columns([3, 2, 3])
        window = (info["cols"][0] - 0.5, info["rows"][0] - 0.5, info["cols"][-1] + 0.5, info["rows"][-1] + 0.5)
        fig_in = figures.heatmap(trace.padded, t("Padded input"), annotate=True, fmt=".3g", colorbar=False,
                                 shapes=[figures.rect(window, "#f5a623", 4)])
        a.plotly_chart(fig_in, config=cfg)
        b.plotly_chart(figures.heatmap(trace.kernel, t("Kernel as applied"), annotate=True, height=220,
                                       colorbar=False), config=cfg)
        b.plotly_chart(figures.heatmap(info["products"], t("Products"), annotate=True, height=220, colorbar=False),
                       config=cfg)
        c.plotly_chart(figures.heatmap(partial, t("Output so far"), annotate=True, fmt=".3g", colorbar=False,
                                       zmax=float(np.abs(trace.output).max()) or 1.0), config=cfg)
        terms = " + ".join(f"({p:.3g}×{k:.3g})" for p, k in zip(info["patch"].ravel(), trace.kernel.ravel()))
        st.markdown(f"**Output[{info['out_row']}, {info['out_col']}]** = {terms} = **{info['sum']:.4g}**")

    with figs:
        step_player(state, "step", t("Window position"), trace.steps, numbers_view, interval=0.9)
        x_col, k_col, out_col = st.columns([3, 2, 3])
        x_col.markdown("**" + t("Input") + "**")
        x_col.latex(markdown.latex_matrix(matrix))
        k_col.markdown("**" + t("Kernel as applied") + "**")
        k_col.latex(markdown.latex_matrix(trace.kernel))
        out_col.markdown("**" + t("Whole output") + "**")
        out_col.latex(markdown.latex_matrix(trace.output))


def typed_matrix(state: PageState, container) -> np.ndarray:
    """A small input matrix typed as rows separated by ';' and numbers by ',' (the link carries the same text)."""
    rule = t("rows of 1-7 numbers separated by ';', cells by ',', e.g. 0,1,2;3,4,5;6,7,8")
    text = state.text(t("Your matrix (rows separated by ';', numbers by ',')"), "mat", TYPED_DEFAULT,
                      kernels.grid_from_text, rule, container=container, max_chars=600)
    try:
        return kernels.grid_from_text(text)
    except ConvLabError as exc:  # typed into the box (the link was checked on arrival)
        container.error(f"{message(exc)} " + t("Showing the example 0,1,2;3,4,5;6,7,8 instead."))
        return kernels.grid_from_text(TYPED_DEFAULT)


def open_textbook_example(state: PageState) -> None:
    """The 3x3 matrix 0..8 under a 2x2 kernel of ones with boundary nearest: every setting it needs, in the link."""
    for key, (value, default) in TEXTBOOK_EXAMPLE.items():
        state.set_value(key, value, default)
    for key in ("kc_rows", "kc_cols"):  # the grid's size follows the new kernel
        st.session_state.pop(f"kernels.{key}", None)


def shapes_tab(state: PageState):
    """Conv2D output shape and parameter count next to a Dense layer on the same input."""
    st.write(t("How big is a layer's output, and how many weights does it learn? Defaults: a Full-HD photo into "
               "`Conv2D(16, 5×5, strides=5, use_bias=False)`, next to a Dense layer on the same photo."))
    a, b, c, d = st.columns(4)
    in_h = state.number(t("Input height"), "ih", 1080, 1, 10_000, container=a)
    in_w = state.number(t("Input width"), "iw", 1920, 1, 10_000, container=b)
    in_c = state.number(t("Input channels"), "ic", 3, 1, 2048, container=c)
    filters = state.number(t("Filters / units"), "nf", 16, 1, 4096, container=d)
    a, b, c, d = st.columns(4)
    ks = state.number(t("Kernel size"), "ks", 5, 1, 15, container=a)
    l_stride = state.number(t("Layer stride"), "ls", 5, 1, 16, container=b)
    l_pad = state.select(t("Layer padding"), ["valid", "same"], "lp", "valid", container=c)
    bias = state.toggle(t("Use bias"), "bias", False, container=d)
    try:
        layer = conv.conv2d_layer_shape((in_h, in_w, in_c), filters, ks, l_stride, l_pad, 1, bias)
        dense = conv.dense_params(in_h * in_w * in_c, filters, bias)
    except ConvLabError as exc:
        st.error(message(exc))
        return
    m1, m2, m3 = st.columns(3)
    m1.metric(t("Conv2D output"), " × ".join(map(str, layer.out_shape)))
    m2.metric(t("Conv2D parameters"), f"{layer.params:,}")
    m3.metric(t("Dense({units}) on the flattened input", units=filters), f"{dense:,}",
              delta=t("{ratio}× more", ratio=f"{dense / max(layer.params, 1):,.0f}"), delta_color="inverse")
    plus_bias = f" + {filters}" if bias else ""
    st.markdown(f"- {t('Height')}: {layer.formula_h}\n- {t('Width')}: {layer.formula_w}\n"
                f"- {t('Conv2D parameters')} = {ks}·{ks}·{in_c}·{filters}{plus_bias} = {layer.params:,}\n"
                f"- {t('Dense parameters')} = ({in_h}·{in_w}·{in_c})·{filters}{plus_bias} = {dense:,}")


def check_tab(gray: np.ndarray, kernel: np.ndarray, filtered: np.ndarray, settings: dict):
    """The same result recomputed by SciPy (and TensorFlow on request), and the code to do it yourself."""
    reference = checks.scipy_reference(gray, kernel, **settings)
    diff = float(np.abs(reference - filtered).max()) if reference.shape == filtered.shape else float("inf")
    st.metric(t("Largest difference from SciPy"), f"{diff:.2e}")
    st.caption(t("SciPy recomputes the filtered image independently (scipy.ndimage.convolve where the settings "
                 "allow, else numpy.pad + scipy.signal.correlate2d). float32 rounding gives differences near 1e-6."))
    stride, padding, dilation, flip = (settings[k] for k in ("stride", "padding", "dilation", "flip"))
    if settings["boundary"] == "constant" and padding in ("valid", "same") and not (stride > 1 and dilation > 1):
        if st.button(t("Also check with TensorFlow (loads TensorFlow, a few seconds)")):
            with st.spinner(t("Loading TensorFlow…")):
                tf_result = checks.tensorflow_reference(gray, kernel, stride=stride, padding=padding,
                                                        dilation=dilation, flip=flip)
            st.metric(t("Largest difference from tf.nn.conv2d"), f"{float(np.abs(tf_result - filtered).max()):.2e}")
    pads = conv.resolve_padding(padding, gray.shape, kernel.shape, stride, dilation)
    st.code(snippets.tensorflow_conv(kernel, **settings, image_hw=gray.shape, pads=pads), language="python")


main()
