"""The lessons, listed once, in the order a first class takes them (kernels by hand, kernels learned, upsampling,
generating, detecting): the navigation, Home's cards and Home's start-here path all read this registry."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    key: str          # its address (/kernels) and its thumbnail's name
    path: str
    title: str        # English; shown through t()
    icon: str
    blurb: str        # Home's card
    first_class: str  # what a first class does there (Home's start-here path)
    picture: str      # what its card's thumbnail shows (the image's alternative text)


LESSONS = (
    Lesson("kernels", "lessons/kernels.py", "Kernels", ":material/grid_on:",
           "Slide a small grid of numbers over a picture: edges, blur, sharpen, emboss. Stride, padding, "
           "dilation, ReLU and max-pooling, step by step with every multiply-add.",
           "Try the edge and blur kernels on a photo, then type a 3×3 matrix in “Numbers, step by step” and check "
           "each multiply-add by hand.",
           "An edge map of a photograph, drawn by an edge kernel"),
    Lesson("learn", "lessons/learn.py", "What a network learns", ":material/neurology:",
           "Train a small CNN on digits and watch its first-layer kernels turn into edge and Sobel detectors; "
           "feature maps, parameter counts and the mistakes it still makes.",
           "Train the small CNN and compare its first-layer kernels with the hand-made Sobel kernels of the first "
           "lesson.",
           "The nine hand-made 3×3 kernels a learned kernel is compared with, in grey"),
    Lesson("upsampling", "lessons/upsampling.py", "Transposed conv vs deconv", ":material/open_in_full:",
           "How a network makes images bigger (scatter-add, the matrix Cᵀ, checkerboard artifacts) and why "
           "that is not the same as undoing a blur (inverse filter, Wiener, Richardson-Lucy).",
           "Work the 1-D example [1, 2, 3] with [−1, 1], then watch the checkerboard appear when the kernel size is "
           "not a multiple of the stride.",
           "The checkerboard pattern a 3×3, stride-2 transposed convolution paints on a flat image"),
    Lesson("train", "lessons/train.py", "Train live", ":material/model_training:",
           "Press play and watch an autoencoder, a VAE or a GAN learn to draw digits, with live loss curves "
           "and samples — on a GPU when there is one.",
           "Press Play on the autoencoder, then on the DCGAN, and watch blurry blobs turn into digits within a "
           "minute.",
           "A grid of handwritten MNIST digits"),
    Lesson("detection", "lessons/detection.py", "Detection", ":material/center_focus_strong:",
           "From YOLO's 7×7 grid to Faster R-CNN's anchor boxes: IoU, anchor matching, box encoding, "
           "non-maximum suppression and the losses that train them.",
           "Type two boxes into the IoU calculator, then see which anchors match an object and what NMS keeps.",
           "A scene of simple objects with a coloured box around each"),
)
BY_KEY = {lesson.key: lesson for lesson in LESSONS}
