"""Each lesson's guided exercise: a few questions a student answers by using the page, the answers revealed on
demand (a teacher can reveal one on the projector after the class has tried)."""
from __future__ import annotations

import streamlit as st

from ui.i18n import t, tn

EXERCISES = {
    "kernels": [
        ("In **Numbers, step by step**, press the textbook example (0..8 with a 2×2 kernel of ones, boundary "
         "nearest). What is the output's top-left number, and which four numbers add up to it?",
         "8 = 0 + 1 + 3 + 4: the window covers the top-left 2×2 corner of the matrix, and every weight is 1."),
        ("Choose the **Edge** kernel. What do its weights add up to, and why is its output drawn in red and blue "
         "instead of grey?",
         "0. A flat patch gives 0, so the output is a signed response (edges only), not a picture: red is positive, "
         "blue negative."),
        ("Set the stride to 2 with padding **same** on the 256×256 picture. How large is the filtered map, and how "
         "large after a 2×2 max-pool?",
         "128×128 (same padding gives ceil(256 / 2)), then 64×64 after the max-pool."),
        ("In **Shapes & parameters**, how many weights does Conv2D(16, 5×5) learn on a 1080×1920×3 photo, and how "
         "many would Dense(16) need on the same photo?",
         "5·5·3·16 = 1,200 for the convolution; 1080·1920·3·16 = 99,532,800 for the dense layer."),
        ("Switch the operation from cross-correlation to **convolution** with the **Left sobel** kernel. What "
         "happens to the colours, and why?",
         "Red and blue swap: convolution flips the kernel by 180°, and a Sobel kernel flipped by 180° is its own "
         "negative."),
    ],
    "learn": [
        ("Press **Play**. What held-out accuracy does the small CNN reach within a minute?",
         "Above 90 % on the bundled digits: the status line and the accuracy curve show it."),
        ("In **Learned kernels**, which hand-made kernels do the first-layer kernels come to resemble?",
         "Edge and Sobel-like detectors: each learned kernel is shown beside the preset it matches best."),
        ("A Conv2D layer has 3×3 kernels, 1 input channel and 8 filters, with biases. How many parameters is that? "
         "Check your rule in **Layers & parameters**.",
         "3·3·1·8 + 8 = 80: kh·kw·C_in·filters weights plus one bias per filter."),
        ("In **Confusion & mistakes**, where are the network's mistakes in the confusion matrix?",
         "Off the diagonal: each cell off it counts held-out digits of one class (row) read as another (column)."),
    ],
    "upsampling": [
        ("In the **1-D worked example**, what does [1, 2, 3] with the kernel [−1, 1] give, and how long is it?",
         "[−1, −1, −1, 3], of length (3 − 1)·1 + 2 = 4: each input value stamps x[i]·k and the stamps add up."),
        ("In **2-D scatter**, set a 5×5 input, a 3×3 kernel, stride 2 and padding p = 1. How large is the output? "
         "What does output padding 1 change?",
         "9×9 = (5 − 1)·2 + 3 − 2·1; output padding 1 adds a row and a column at the bottom and right: 10×10."),
        ("In the **Matrix view** with a 4×4 input and stride 1, what shape is C, and is CᵀC the identity?",
         "C is 4×16 (a valid 3×3 convolution of a 4×4 input has 4 outputs); CᵀC is 16×16 and not the identity, so "
         "Cᵀ does not undo C."),
        ("In **Checkerboard artifacts** with stride 2, which kernel sizes spread the stamps evenly?",
         "2, 4 and 6: the overlap is even when the kernel size is divisible by the stride."),
        ("In **Deconvolution**, which result has the lowest PSNR, and why?",
         "The transposed convolution with the same kernel: it applies Cᵀ, which blurs again, where Wiener and "
         "Richardson-Lucy undo the blur."),
    ],
    "train": [
        ("Press **Play** on the autoencoder. How do the reconstructions at the first steps compare with those a "
         "minute later?",
         "At first grey blobs; within a minute recognisable digits, while the loss curve falls."),
        ("For the VAE, what does a smaller KL weight β trade against a larger one?",
         "Smaller β: sharper reconstructions and digit classes further apart in the latent space; larger β: a "
         "smoother latent space that follows the prior more closely."),
        ("Train the VAE for a minute with **Straighten the digits first** on, then again with it off. How does the "
         "score under the latent map change, and why?",
         "Straightened, about 80-85 % of the test digits sit among their own kind; as written, about 70-75 %. With "
         "only two latent numbers, a VAE of slanted digits spends one of them on the slant instead of the digit."),
        ("Train the DCGAN. What does a discriminator accuracy near 0.5 mean?",
         "The discriminator can no longer tell real digits from generated ones better than a coin."),
        ("Press **Step D** several times without **Step G**. What happens to the discriminator's accuracy, and why?",
         "It rises: only the discriminator learns, against a generator that does not change."),
    ],
    "detection": [
        ("In the **IoU calculator**, type the boxes (0, 0, 4, 4) and (2, 2, 6, 6). What are the intersection, the "
         "union and the IoU?",
         "Intersection 2·2 = 4, union 16 + 16 − 4 = 28, IoU 4 / 28 ≈ 0.1429."),
        ("How many numbers does YOLO v1 predict for one image, and why 30 per grid cell?",
         "7·7·30 = 1,470: each cell predicts 2 boxes of 5 numbers (x, y, w, h, confidence) and 20 class "
         "probabilities."),
        ("With the 800-pixel scene in **Anchor boxes**, how many anchors are there at stride 16 with 3 ratios × 3 "
         "scales?",
         "50·50 positions × 9 anchors = 22,500."),
        ("In **Non-max suppression**, raise the IoU threshold. Are more or fewer boxes kept?",
         "More: a box is removed only when it overlaps a kept, higher-scoring box by more than the threshold."),
        ("In **Segmentation metrics**, predict the disc's bounding box instead of the disc. Why does the box IoU stay "
         "at 1 while the mask IoU drops?",
         "The boxes around the shapes are the same, but the box's corners are not disc: 1 − π/4, about a fifth of "
         "its pixels."),
    ],
}


def show(lesson: str) -> None:
    """The lesson's exercise, folded away under the lesson: questions numbered, each answer behind its toggle."""
    items = EXERCISES[lesson]
    title = tn("Guided exercise: {n} question", "Guided exercise: {n} questions", len(items))
    with st.expander(title, icon=":material/quiz:"):
        for number, (question, answer) in enumerate(items, 1):
            st.markdown(f"**{number}.** {t(question)}")
            if st.toggle(t("Show the answer"), key=f"{lesson}.exercise.{number}"):
                st.success(t(answer), icon=":material/check:")
