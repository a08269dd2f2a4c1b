"""Transposed convolution vs deconvolution: the 1-D worked example, 2-D scatter-add step by step (Keras' or
PyTorch's padding), convolution as a matrix C and transposed convolution as Cᵀ, checkerboard overlap, true
deconvolution (inverse filter, Wiener, Richardson-Lucy) and two decoders compared."""
import numpy as np
import streamlit as st

from engine import deconv, images, transpose
from engine.errors import ConvLabError
from ui import caching, exercises, figures, shell, snippets
from ui.i18n import message, t, tn
from ui.image_picker import image_picker
from ui.player import step_player
from ui.state import PageState

CFG = figures.PLOTLY_CONFIG


def main():
    st.title(t("Transposed convolution vs deconvolution"))
    shell.intro(t("**Transposed convolution** is how networks *upsample*: each input pixel stamps a scaled copy of a "
                  "learnable kernel and overlaps add up. Mathematically it is the **transpose Cᵀ** of a convolution "
                  "matrix C — not its inverse. **Deconvolution** means *undoing* a convolution, e.g. removing a known "
                  "blur. The two are often confused; this page shows why they differ."))
    state = PageState("upsampling")
    views = {"1d": (t("1-D worked example"), one_d_tab), "scatter": (t("2-D scatter, step by step"), scatter_tab),
             "matrix": (t("Matrix view: C and Cᵀ"), matrix_tab),
             "checkerboard": (t("Checkerboard artifacts"), checkerboard_tab),
             "deconv": (t("Deconvolution"), deconvolution_tab), "decoders": (t("Decoders compared"), decoders_tab)}
    state.show_tabs({tab_id: (label, lambda draw=draw: draw(state)) for tab_id, (label, draw) in views.items()})
    exercises.show("upsampling")


def one_d_tab(state: PageState):
    """The 1-D worked example: stamps x[i]·k add up, and C / Cᵀ as matrices."""
    figs, controls = shell.figure_first()
    a, b, c = controls.columns(3)
    x_text = state.text(t("Input x"), "x1", "1,2,3", lambda r: transpose.parse_signal(r, "x"),
                        t("1-8 numbers within ±1000, e.g. 1,2,3"), container=a)
    k_text = state.text(t("Kernel k"), "k1", "-1,1", lambda r: transpose.parse_signal(r, "k", 5),
                        t("1-5 numbers within ±1000, e.g. -1,1"), container=b)
    s1 = state.slider(t("Stride"), "s1", 1, 1, 3, container=c)
    try:
        x1, k1 = transpose.parse_signal(x_text, "x"), transpose.parse_signal(k_text, "k", 5)
    except ConvLabError as exc:  # typed into the box (the link was checked on arrival)
        st.error(f"{message(exc)}. " + t("Showing the example [1, 2, 3] with [-1, 1] instead."))
        x1, k1 = np.array([1, 2, 3], np.float32), np.array([-1, 1], np.float32)
    y1 = transpose.conv_transpose1d(x1, k1, stride=s1)
    stamps = transpose.stamps_1d(x1, k1, s1)
    figs.plotly_chart(figures.heatmap(np.vstack([stamps, y1[None]]), t("Rows: stamps x[i]·k · last row: their sum y"),
                                      annotate=True, fmt=".3g", height=90 + 45 * len(x1)), config=CFG)
    figs.markdown(t("Each input value stamps **x[i]·k** starting at position i·stride; the stamps add up to "
                    "**y = [{y}]** (length (n−1)·s + k = {formula}).", y=", ".join(f"{v:g}" for v in y1),
                    formula=f"({len(x1)}−1)·{s1} + {len(k1)} = {len(y1)}"))
    c_matrix = transpose.conv_matrix((1, len(y1)), k1[None], stride=(1, s1))
    m1, m2 = st.columns(2)
    c_title = t("C: convolution of a length-{n} signal with k (valid, stride {s})", n=len(y1), s=s1)
    m1.plotly_chart(figures.heatmap(c_matrix, c_title, annotate=True, fmt=".3g", height=100 + 35 * len(x1)),
                    config=CFG)
    m2.plotly_chart(figures.heatmap(c_matrix.T, t("Cᵀ: transposed convolution, y = Cᵀx"), annotate=True, fmt=".3g",
                                    height=100 + 35 * len(y1)), config=CFG)
    if s1 == 1:
        st.success(t("With stride 1 this is exactly `scipy.signal.convolve(x, k)` = {y}",
                     y=np.convolve(x1, k1).round(6).tolist()))
    st.code(f"import numpy as np, scipy.signal\nx, k = np.array({x1.tolist()}), np.array({k1.tolist()})\n"
            f"y = np.zeros((len(x) - 1) * {s1} + len(k))\nfor i, v in enumerate(x):\n"
            f"    y[i * {s1}: i * {s1} + len(k)] += v * k   # scatter-add\nprint(y)  # {y1.tolist()}\n"
            + ("print(scipy.signal.convolve(x, k))  # the same for stride 1" if s1 == 1 else ""), language="python")


SCATTER_PADDINGS = ["valid", "same", "1", "2", "3", "4"]  # an integer p: PyTorch's ConvTranspose2d(padding=p)
SCATTER_BASE = np.array([[1, 2, 0], [0, 1, 3], [2, 0, 1]], np.float32)


def scatter_input(n: int) -> np.ndarray:
    """The n×n input the scatter tab stamps: the 3×3 example, repeated to fill larger sizes."""
    return np.tile(SCATTER_BASE, (-(-n // 3), -(-n // 3)))[:n, :n].copy()


def scatter_padding_label(padding: str) -> str:
    return {"valid": t("valid (p = 0)"), "same": "same"}.get(padding, f"p = {padding}")


def scatter_tab(state: PageState):
    """2-D scatter-add, one input pixel at a time, with input size, stride, padding (Keras' names or PyTorch's
    integer) and output padding."""
    figs, controls = shell.figure_first()
    a, b, c, d, e = controls.columns(5)
    n2 = state.slider(t("Input size (n×n)"), "n2", 3, 1, 6, container=a)
    s2 = state.slider(t("Stride"), "s2", 2, 1, 3, container=b)
    k2 = state.slider(t("Kernel size"), "k2", 3, 1, 5, container=c)
    p2 = state.select(t("Padding"), SCATTER_PADDINGS, "p2", "valid", container=d, format_func=scatter_padding_label,
                      help=t("valid and same as in Keras; p = 1, 2, … crops p rows and columns from each side, as "
                             "PyTorch's ConvTranspose2d(padding=p)."))
    op2 = state.slider(t("Output padding"), "op2", 0, 0, 2, container=e,
                       help=t("Extra rows/columns at the bottom/right; must be smaller than the stride."))
    padding = p2 if p2 in ("valid", "same") else int(p2)
    output_padding = op2 if op2 or isinstance(padding, int) else None
    x2 = scatter_input(n2)
    kernel2 = np.ones((k2, k2), np.float32)
    kernel2[k2 // 2, k2 // 2] = 2
    try:
        result = transpose.conv_transpose2d(x2, kernel2, stride=s2, padding=padding, output_padding=output_padding)
    except ConvLabError as exc:
        st.error(message(exc))
        return

    def scatter_view(n: int):
        partial = transpose.partial_scatter(x2, kernel2, n, stride=s2, padding=padding, output_padding=output_padding)
        top, left, bottom, right = transpose.stamp_region(n - 1, x2.shape, kernel2.shape, s2, padding,
                                                          output_padding)
        c1, c2, c3 = st.columns([2, 2, 3])
        r, q = divmod(n - 1, n2)
        fig_x = figures.heatmap(x2, t("Input ({n}×{n})", n=n2), annotate=True, fmt="g", colorbar=False, height=240,
                                shapes=[figures.rect((q - .5, r - .5, q + .5, r + .5), "#f5a623", 4)])
        c1.plotly_chart(fig_x, config=CFG)
        c2.plotly_chart(figures.heatmap(kernel2, t("Kernel ({k}×{k})", k=k2), annotate=True, fmt="g",
                                        colorbar=False, height=240), config=CFG)
        stamp = figures.rect((left - .5, top - .5, right + .5, bottom + .5), "#f5a623", 4, "dot")
        y_title = tn("Output {h}×{w} after {n} stamp", "Output {h}×{w} after {n} stamps", n, h=result.shape[0],
                     w=result.shape[1])
        # the output grows with its size, except on a projector, where it must stay on the first screen
        out_height = 280 if shell.presenter_active() else min(520, max(280, 120 + 30 * result.shape[0]))
        fig_y = figures.heatmap(partial, y_title, annotate=result.shape[0] <= 24, fmt="g", colorbar=False,
                                height=out_height,
                                zmax=float(np.abs(result).max()) or 1, shapes=[stamp])
        c3.plotly_chart(fig_y, config=CFG)
        st.caption(t("Input pixel ({r}, {q}) = {v} adds {v} × kernel at output rows {top}..{bottom}, columns "
                     "{left}..{right} (cells outside the output are cropped by the padding).", r=r, q=q,
                     v=f"{x2[r, q]:g}", top=top, bottom=bottom, left=left, right=right))

    with figs:
        step_player(state, "stamp", t("Input pixels stamped so far"), x2.size, scatter_view, first=1)
    st.markdown(t("**Output size**: {formula}", formula=scatter_formula(n2, k2, s2, padding, op2, result.shape[0])))
    st.code(snippets.conv_transpose(x2, kernel2, s2, padding, op2), language="python")


def scatter_formula(n: int, k: int, s: int, padding, op: int, n_out: int) -> str:
    """How the output size follows from the settings, in the framework whose padding this is."""
    if isinstance(padding, int):
        return f"(n − 1)·s + k − 2p + output_padding = ({n} − 1)·{s} + {k} − 2·{padding} + {op} = {n_out} (PyTorch)"
    if op:
        return f"({n} − 1)·{s} + {k} − 2·{k // 2 if padding == 'same' else 0} + {op} = {n_out} (Keras)"
    if padding == "valid":
        return f"{n}·{s} + max({k} − {s}, 0) = {n_out} (Keras)"
    return f"{n}·{s} = {n_out} (Keras)"


def matrix_tab(state: PageState):
    """Convolution as a matrix C and transposed convolution as Cᵀ."""
    figs, controls = shell.figure_first()
    a, b = controls.columns(2)
    s3 = state.slider(t("Stride"), "s3", 1, 1, 2, container=a)
    n3 = state.slider(t("Input size (n×n)"), "n3", 4, 3, 5, container=b)
    k3 = np.array([[1, 2, 1], [0, 1, 0], [-1, 0, 1]], np.float32)
    c3 = transpose.conv_matrix((n3, n3), k3, stride=s3)
    c1, c2, c3_col = figs.columns(3)
    numbers = max(c3.shape) <= 16  # the kernel's numbers in every cell, while they fit
    c1.plotly_chart(figures.heatmap(c3, f"C ({c3.shape[0]}×{c3.shape[1]})", height=310, annotate=numbers, fmt="g"),
                    config=CFG)
    c2.plotly_chart(figures.heatmap(c3.T, f"Cᵀ ({c3.shape[1]}×{c3.shape[0]})", height=310, annotate=numbers,
                                    fmt="g"), config=CFG)
    c3_col.plotly_chart(figures.heatmap(c3.T @ c3, t("Cᵀ C (not the identity)"), height=310, annotate=numbers,
                                        fmt="g"), config=CFG)
    figs.write(t("Flatten a {n}×{n} input into a vector of {nn}. A 3×3 convolution (valid, stride {s}) is then the "
                 "matrix C of shape {rows}×{cols}: each row holds the kernel, shifted. Transposed convolution "
                 "multiplies by Cᵀ, mapping the small vector back to the big shape. Cᵀ C is not the identity, so Cᵀ "
                 "does not undo C.", n=n3, nn=n3 * n3, s=s3, rows=c3.shape[0], cols=c3.shape[1]))
    st.code(snippets.conv_matrix(n3, k3, s3), language="python")


def checkerboard_tab(state: PageState):
    """Uneven overlap of transposed-convolution stamps, and resize-then-convolve."""
    figs, controls = shell.figure_first()
    a, b, c = controls.columns(3)
    k4 = state.slider(t("Kernel size"), "k4", 3, 1, 6, container=a)
    s4 = state.slider(t("Stride"), "s4", 2, 1, 4, container=b)
    seed4 = state.number(t("Random kernel seed"), "seed4", 0, 0, 999, container=c)
    counts = transpose.overlap_map(8, k4, s4)
    uneven = k4 % s4 != 0
    verdict = t("uneven overlap → checkerboard") if uneven else t("even overlap in the interior")
    explanation = t("Kernel {k}, stride {s}: **{verdict}**. When the kernel size is not divisible by the stride, some "
                    "output pixels receive more stamps than their neighbours (Odena, Dumoulin & Olah, *Deconvolution "
                    "and Checkerboard Artifacts*, Distill 2016).", k=k4, s=s4, verdict=verdict)
    kernel4 = np.abs(np.random.default_rng(seed4).normal(size=(k4, k4))).astype(np.float32)
    flat = np.ones((8, 8), np.float32)
    up_t = transpose.conv_transpose2d(flat, kernel4, stride=s4, padding="same")
    up_r = transpose.resize_then_conv(flat, kernel4, s4)
    c1, c2, c3 = figs.columns(3)
    c1.plotly_chart(figures.heatmap(counts, t("Taps reaching each output pixel"), diverging=False,
                                    annotate=counts.shape[0] <= 24, fmt="g", height=330), config=CFG)
    c2.plotly_chart(figures.heatmap(up_t, t("Flat image → Conv2DTranspose"), diverging=False, height=330), config=CFG)
    c3.plotly_chart(figures.heatmap(up_r, t("Flat image → resize, then Conv2D (the remedy)"), diverging=False,
                                    height=330), config=CFG)
    figs.markdown(explanation)
    figs.caption(t("A perfectly flat input should give a flat output. The transposed convolution paints a grid "
                 "pattern; resize-then-convolve stays flat away from the border."))
    st.code(snippets.checkerboard(k4, s4), language="python")


BLUR_LABELS = {"gaussian": "Gaussian", "motion": "Motion"}
RESULT_NAMES = ("Blurred (input)", "Inverse filter", "Wiener", "Richardson-Lucy", "Transposed conv (same kernel)")


def deconvolution_tab(state: PageState):
    """True deconvolution (inverse filter, Wiener, Richardson-Lucy) against the transpose."""
    picked = image_picker(state, key="dimg", default_sample="house", max_side=160, container=st.sidebar,
                          heading=t("Image for the deconvolution tab"), min_side=16)
    figs, controls = shell.figure_first()
    a, b, c, d = controls.columns(4)
    blur_kind = state.select(t("Blur"), list(BLUR_LABELS), "blur", "gaussian", container=a,
                             format_func=lambda b: t(BLUR_LABELS[b]))
    blur_size = state.slider(t("Blur size"), "bsize", 7, 3, 7, container=b)
    noise = state.slider(t("Noise σ"), "noise", 0.005, 0.0, 0.05, 0.001, container=c, format="%.3f")
    nsr = state.select_slider(t("Wiener noise-to-signal"), [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1], "nsr", 3e-3,
                              container=d, format_func=lambda v: f"{v:g}")
    iterations = state.slider(t("Richardson-Lucy iterations"), "rl", 30, 1, 100, container=controls)
    psf = deconv.gaussian_psf(blur_size, blur_size / 4) if blur_kind == "gaussian" else deconv.motion_psf(blur_size)
    original = images.to_gray(picked.array)

    @caching.cache_data(max_entries=32, show_spinner=False)
    def restore(original, psf, noise, nsr, iterations):
        blurred = deconv.blur(original, psf, noise_sigma=noise, seed=0)
        return dict(zip(RESULT_NAMES, (blurred, deconv.inverse_filter(blurred, psf, threshold=0.05),
                                        deconv.wiener(blurred, psf, nsr=nsr),
                                        deconv.richardson_lucy(blurred, psf, iterations=iterations),
                                        transpose.conv_transpose2d(blurred, psf, padding="same"))))

    results = restore(original, psf, noise, nsr, iterations)
    if shell.presenter_active():  # one row of six, each score in its title: the comparison on the first screen
        cols = figs.columns(6)
        narrow = dict(height=200, title_chars=15, title_lines=3)
        cols[0].plotly_chart(figures.rgb_image(original, t("Original"), **narrow), config=CFG)
        for col, (name, img) in zip(cols[1:], results.items()):
            title = f"{t(name)} · PSNR {deconv.psnr(original, img):.2f} dB"
            col.plotly_chart(figures.rgb_image(img, title, **narrow), config=CFG)
    else:
        cols = figs.columns(3) + figs.columns(3)  # two rows of three: each picture large enough to judge
        cols[0].plotly_chart(figures.rgb_image(original, t("Original"), height=300), config=CFG)
        for col, (name, img) in zip(cols[1:], results.items()):
            col.plotly_chart(figures.rgb_image(img, t(name), height=300), config=CFG)
            col.metric("PSNR", f"{deconv.psnr(original, img):.2f} dB")
    figs.caption(t("Higher PSNR = closer to the original. Wiener and Richardson-Lucy use the known blur to undo it. "
                 "Transposed convolution with the same kernel blurs again (it applies Cᵀ, not C⁻¹), so its PSNR "
                 "drops."))
    st.code(snippets.wiener(noise, nsr), language="python")


def decoders_tab(state: PageState):
    """UpSampling2D + Conv2D next to Conv2DTranspose on one feature map."""
    figs, controls = shell.figure_first()
    seed6 = state.number(t("Kernel seed"), "seed6", 1, 0, 999, container=controls)
    controls.write(t("Two ways a decoder doubles resolution, on the same 8×8 feature map and the same 3×3 kernel: "
                     "**UpSampling2D + Conv2D** (resize, then convolve) and **Conv2DTranspose(strides=2)**."))
    feature = images.resize(images.to_gray(images.sample_image("shapes", 64)), (8, 8))
    kernel6 = np.random.default_rng(seed6).normal(0.3, 0.3, (3, 3)).astype(np.float32)
    c1, c2, c3 = figs.columns(3)
    c1.plotly_chart(figures.heatmap(feature, t("Feature map (8×8)"), diverging=False, height=300), config=CFG)
    c2.plotly_chart(figures.heatmap(transpose.resize_then_conv(feature, kernel6, 2), t("UpSampling2D(2) + Conv2D(3×3)"),
                                    diverging=False, height=300), config=CFG)
    c3.plotly_chart(figures.heatmap(transpose.conv_transpose2d(feature, kernel6, stride=2, padding="same"),
                                    "Conv2DTranspose(3×3, strides=2)", diverging=False, height=300), config=CFG)
    st.code(snippets.decoders(), language="python")
    st.page_link("lessons/train.py", label=t("Train both decoders on digits in the Train live lesson →"))


main()
