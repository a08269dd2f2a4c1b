"""Korean interface text, keyed by the English source text. Placeholders in {braces} must match."""

KO = {
    # --- app shell -------------------------------------------------------------------------------
    "Home": "홈",
    "Kernels": "커널",
    "Transposed conv vs deconv": "전치 합성곱 vs 디컨볼루션",
    "Train live": "실시간 학습",
    "Detection": "객체 탐지",
    "ConvLab · learn how convolutional networks see, upsample, generate and detect.":
        "ConvLab · 합성곱 신경망이 보고, 키우고, 만들고, 찾아내는 방법을 배워 보세요.",
    "Presenter mode": "발표 모드",
    "Language": "언어",
    "Larger text and figures with the controls tucked away; kept in the link.":
        "조작 패널을 접고 글자와 그림을 크게 보여 줍니다. 링크에 저장됩니다.",
    "Copy link to this view": "이 화면의 링크 복사",
    "Anyone who opens this link sees this page with the same settings (uploads stay private).":
        "이 링크를 여는 사람은 같은 설정의 이 페이지를 보게 됩니다(업로드한 파일은 공유되지 않습니다).",
    "one of {options}": "{options} 중 하나",
    "a number from {lo} to {hi}": "{lo}부터 {hi}까지의 수",
    "1 or 0": "1 또는 0",
    "Link parameter **{param}** is not valid ({rule}); using the default **{default}** instead.":
        "링크 매개변수 **{param}**이(가) 올바르지 않습니다({rule}). 기본값 **{default}**을(를) 사용합니다.",
    "The annotation has no objects to show.": "주석에 보여 줄 객체가 없습니다.",
    "…and {n} more warnings.": "…그리고 경고 {n}개가 더 있습니다.",
    "Something went wrong on this page. Change a setting or reload the page; the problem has been logged on the server.":
        "이 페이지에서 문제가 생겼습니다. 설정을 바꾸거나 페이지를 새로 고치세요. 문제는 서버에 기록되었습니다.",
    # --- image picker ----------------------------------------------------------------------------
    "Image": "이미지",
    "Image source": "이미지 출처",
    "Sample": "샘플",
    "Upload": "업로드",
    "Camera": "카메라",
    "Sample image": "샘플 이미지",
    "Upload an image": "이미지 업로드",
    "Take a picture": "사진 찍기",
    "Nothing chosen yet: showing the sample image. Uploads stay in your browser session and are not part of shared links.":
        "아직 선택한 파일이 없어 샘플 이미지를 보여 줍니다. 업로드한 파일은 이 브라우저 세션에만 남고 공유 링크에는 포함되지 않습니다.",
    "Showing the sample image instead.": "대신 샘플 이미지를 보여 줍니다.",
    "Scene": "풍경",
    "Shapes": "도형",
    "Checkerboard": "체커보드",
    "Text": "글자",
    "Gradient": "그러데이션",
    "House": "집",
    # --- home ------------------------------------------------------------------------------------
    "See how convolutional networks see, upsample, generate and detect.":
        "합성곱 신경망이 어떻게 보고, 키우고, 만들고, 찾아내는지 직접 확인하세요.",
    "{n} lessons, each a live playground, in the order a first class takes them: click a card to open it. Every number on screen is computed by ConvLab's own engine and checked against SciPy and TensorFlow in its test suite. Every view lives in the link: copy the address bar to share exactly what you see.":
        "수업 {n}개, 각각이 살아 있는 실험실이며 첫 수업에서 다루는 순서대로 놓여 있습니다. 카드를 누르면 열립니다. 화면의 모든 숫자는 ConvLab 엔진이 계산하며 테스트에서 SciPy와 TensorFlow로 검증됩니다. 모든 화면은 링크에 담겨 있어, 주소창을 복사하면 보고 있는 그대로를 공유할 수 있습니다.",
    "Start here: a first class": "여기서 시작하세요: 첫 수업",
    "An edge map of a photograph, drawn by an edge kernel": "윤곽선 커널로 그린 사진의 윤곽선 맵",
    "The nine hand-made 3×3 kernels a learned kernel is compared with, in grey":
        "학습된 커널과 비교하는, 손으로 만든 3×3 커널 아홉 개(회색)",
    "The checkerboard pattern a 3×3, stride-2 transposed convolution paints on a flat image":
        "3×3, 스트라이드 2 전치 합성곱이 평평한 이미지에 그리는 체커보드 무늬",
    "A grid of handwritten MNIST digits": "MNIST 손글씨 숫자 격자",
    "A scene of simple objects with a coloured box around each": "물체마다 색 상자가 그려진 단순한 장면",
    "{title}: {h}×{w} pixels, {kernel} kernel": "{title}: {h}×{w} 픽셀, {kernel} 커널",
    "{title}: {h}×{w} pixels": "{title}: {h}×{w} 픽셀",
    "A grid of digits the generator drew from fixed noise at step {n}": "{n}단계에서 생성자가 고정된 잡음으로 그린 숫자 격자",
    "A grid of handwritten test digits, the autoencoder's inputs": "오토인코더의 입력인 손글씨 테스트 숫자 격자",
    "The network's reconstructions of those test digits at step {n}": "{n}단계에서 신경망이 그 테스트 숫자를 복원한 결과",
    "Digits decoded from a grid of points of the 2-D latent space, changing smoothly":
        "2차원 잠재 공간의 격자 점에서 디코딩한, 부드럽게 바뀌는 숫자들",
    "Digits decoded from random points of the latent space": "잠재 공간의 무작위 점에서 디코딩한 숫자들",
    "The digit the decoder draws at z = ({z})": "z = ({z})에서 디코더가 그리는 숫자",
    "Held-out image #{i}: a {y} that the network read as {p}, {c} sure":
        "검증 이미지 #{i}: 신경망이 {c} 확신으로 {p}(으)로 읽은 {y}",
    "Try the edge and blur kernels on a photo, then type a 3×3 matrix in “Numbers, step by step” and check each multiply-add by hand.":
        "사진에 윤곽선 커널과 흐림 커널을 써 본 다음, “숫자로 한 단계씩”에 3×3 행렬을 입력하고 곱셈·덧셈을 손으로 확인하세요.",
    "Train the small CNN and compare its first-layer kernels with the hand-made Sobel kernels of the first lesson.":
        "작은 CNN을 학습시키고 첫 층의 커널을 첫 수업의 손으로 만든 소벨 커널과 비교하세요.",
    "Work the 1-D example [1, 2, 3] with [−1, 1], then watch the checkerboard appear when the kernel size is not a multiple of the stride.":
        "1차원 예제 [1, 2, 3]과 [−1, 1]을 풀어 본 다음, 커널 크기가 스트라이드의 배수가 아닐 때 체커보드 무늬가 생기는 것을 보세요.",
    "Press Play on the autoencoder, then on the DCGAN, and watch blurry blobs turn into digits within a minute.":
        "오토인코더에서, 이어서 DCGAN에서 재생을 누르고 흐릿한 얼룩이 1분 안에 숫자가 되는 것을 지켜보세요.",
    "Type two boxes into the IoU calculator, then see which anchors match an object and what NMS keeps.":
        "IoU 계산기에 상자 두 개를 입력한 다음, 어떤 앵커가 물체와 짝지어지고 NMS가 무엇을 남기는지 보세요.",
    "Slide a small grid of numbers over a picture: edges, blur, sharpen, emboss. Stride, padding, dilation, ReLU and max-pooling, step by step with every multiply-add.":
        "작은 숫자 격자를 그림 위로 밀어 보세요: 윤곽선, 흐림, 선명하게, 양각. 스트라이드, 패딩, 팽창, ReLU와 맥스 풀링을 곱셈·덧셈 하나하나까지 단계별로 봅니다.",
    "Transposed convolution vs deconvolution": "전치 합성곱 vs 디컨볼루션",
    "How a network makes images bigger (scatter-add, the matrix Cᵀ, checkerboard artifacts) and why that is not the same as undoing a blur (inverse filter, Wiener, Richardson-Lucy).":
        "신경망이 이미지를 키우는 방법(흩뿌려 더하기, 행렬 Cᵀ, 체커보드 무늬)과 그것이 흐림을 되돌리는 것(역필터, 위너, 리처드슨-루시)과 다른 이유.",
    "Press play and watch an autoencoder, a VAE or a GAN learn to draw digits, with live loss curves and samples — on a GPU when there is one.":
        "재생을 누르고 오토인코더, VAE, GAN이 숫자 그리기를 배우는 모습을 손실 곡선과 샘플로 실시간으로 지켜보세요. GPU가 있으면 GPU에서 학습합니다.",
    "From YOLO's 7×7 grid to Faster R-CNN's anchor boxes: IoU, anchor matching, box encoding, non-maximum suppression and the losses that train them.":
        "YOLO의 7×7 격자부터 Faster R-CNN의 앵커 박스까지: IoU, 앵커 매칭, 박스 인코딩, 비최대 억제, 그리고 이를 학습시키는 손실 함수.",
    "Compute device": "계산 장치",
    "Accelerator": "가속기",
    "Keras backend": "Keras 백엔드",
    # --- kernels -----------------------------------------------------------------------------------
    "Kernels: what a convolution does to an image": "커널: 합성곱이 이미지에 하는 일",
    "Kernel": "커널",
    "Preset": "프리셋",
    "Identity": "항등",
    "Edge": "윤곽선",
    "Outline": "외곽선",
    "Top sobel": "위쪽 소벨",
    "Bottom sobel": "아래쪽 소벨",
    "Left sobel": "왼쪽 소벨",
    "Right sobel": "오른쪽 소벨",
    "Emboss": "양각",
    "Sharpen": "선명하게",
    "Box blur": "박스 흐림",
    "Gaussian blur": "가우시안 흐림",
    "Random": "무작위",
    "Custom": "직접 입력",
    "Copies the centre pixel: the image passes through unchanged.": "가운데 픽셀을 그대로 복사합니다. 이미지가 바뀌지 않습니다.",
    "8-neighbour Laplacian: zero on flat areas, strong wherever brightness changes.":
        "8-이웃 라플라시안: 평평한 곳에서는 0, 밝기가 바뀌는 곳에서는 강하게 반응합니다.",
    "4-neighbour Laplacian: a gentler edge detector using only direct neighbours.":
        "4-이웃 라플라시안: 바로 옆 이웃만 쓰는 부드러운 윤곽선 검출기입니다.",
    "Responds where it is brighter above than below (horizontal edges).": "위가 아래보다 밝은 곳에 반응합니다(가로 윤곽선).",
    "Responds where it is brighter below than above (horizontal edges).": "아래가 위보다 밝은 곳에 반응합니다(가로 윤곽선).",
    "Responds where it is brighter on the left than the right (vertical edges).": "왼쪽이 오른쪽보다 밝은 곳에 반응합니다(세로 윤곽선).",
    "Responds where it is brighter on the right than the left (vertical edges).": "오른쪽이 왼쪽보다 밝은 곳에 반응합니다(세로 윤곽선).",
    "Lights one diagonal side of every edge and shades the other: a relief effect.":
        "윤곽선의 한쪽 대각선 면은 밝히고 다른 쪽은 어둡게 합니다: 돋을새김 효과.",
    "Boosts the centre against its neighbours: edges become crisper.": "가운데를 이웃보다 강조해 윤곽이 또렷해집니다.",
    "Averages the 3x3 neighbourhood: every weight is 1/9.": "3x3 이웃의 평균을 냅니다. 모든 가중치가 1/9입니다.",
    "Weights fall off like a bell curve with distance: a smooth, natural-looking blur.":
        "거리에 따라 종 모양으로 줄어드는 가중치: 부드럽고 자연스러운 흐림.",
    "Random weights, like a freshly initialised convolution layer before training.":
        "학습 전 막 초기화된 합성곱 층처럼 무작위 가중치입니다.",
    "Your own numbers: edit the grid and watch what the kernel does.": "직접 정한 숫자: 격자를 고치고 커널이 하는 일을 보세요.",
    "Gaussian size": "가우시안 크기",
    "Gaussian sigma": "가우시안 시그마",
    "Random kernel size": "무작위 커널 크기",
    "Random seed": "난수 시드",
    "rows of 1-7 numbers separated by ';', cells by ',', e.g. 1,0,-1;2,0,-2;1,0,-1":
        "행은 ';', 칸은 ','로 구분한 1-7개의 숫자, 예: 1,0,-1;2,0,-2;1,0,-1",
    "Rows": "행",
    "Columns": "열",
    "Edit the numbers (cells accept any finite number):": "숫자를 고쳐 보세요(칸에는 유한한 수를 넣을 수 있습니다):",
    "Keeping the last valid kernel.": "마지막으로 올바르던 커널을 유지합니다.",
    "Edit these numbers": "이 숫자 고치기",
    "Sliding": "슬라이딩",
    "Operation": "연산",
    "Cross-correlation (what Conv2D layers do)": "교차상관(Conv2D 층이 하는 계산)",
    "Input matrix": "입력 행렬",
    # --- guided exercises (ui/exercises.py) ---
    "Guided exercise: {n} questions": "길잡이 연습: 질문 {n}개",
    "Show the answer": "답 보기",
    "In **Numbers, step by step**, press the textbook example (0..8 with a 2×2 kernel of ones, boundary nearest). What is the output's top-left number, and which four numbers add up to it?":
        '**숫자로 한 단계씩**에서 교과서 예제(0..8 행렬, 모두 1인 2×2 커널, 경계 nearest)를 누르세요. 출력의 왼쪽 위 숫자는 무엇이고, 어떤 네 숫자를 더한 것일까요?',
    '8 = 0 + 1 + 3 + 4: the window covers the top-left 2×2 corner of the matrix, and every weight is 1.':
        '8 = 0 + 1 + 3 + 4: 창이 행렬의 왼쪽 위 2×2 모서리를 덮고, 가중치는 모두 1입니다.',
    'Choose the **Edge** kernel. What do its weights add up to, and why is its output drawn in red and blue instead of grey?':
        '**윤곽선** 커널을 고르세요. 가중치를 모두 더하면 얼마이고, 출력이 회색이 아니라 빨강과 파랑으로 그려지는 이유는 무엇일까요?',
    '0. A flat patch gives 0, so the output is a signed response (edges only), not a picture: red is positive, blue negative.':
        '0입니다. 평평한 부분은 0이 되므로 출력은 그림이 아니라 부호가 있는 반응(윤곽선만)입니다. 빨강은 양수, 파랑은 음수입니다.',
    'Set the stride to 2 with padding **same** on the 256×256 picture. How large is the filtered map, and how large after a 2×2 max-pool?':
        '256×256 그림에서 스트라이드를 2로, 패딩을 **same**으로 두세요. 필터를 거친 맵은 얼마나 크고, 2×2 맥스 풀링 뒤에는 얼마나 클까요?',
    '128×128 (same padding gives ceil(256 / 2)), then 64×64 after the max-pool.':
        '128×128(same 패딩은 ceil(256 / 2))이고, 맥스 풀링 뒤에는 64×64입니다.',
    'In **Shapes & parameters**, how many weights does Conv2D(16, 5×5) learn on a 1080×1920×3 photo, and how many would Dense(16) need on the same photo?':
        '**크기와 매개변수**에서, 1080×1920×3 사진에 Conv2D(16, 5×5)는 가중치를 몇 개 학습하고, 같은 사진에 Dense(16)은 몇 개가 필요할까요?',
    '5·5·3·16 = 1,200 for the convolution; 1080·1920·3·16 = 99,532,800 for the dense layer.':
        '합성곱은 5·5·3·16 = 1,200개, 밀집층은 1080·1920·3·16 = 99,532,800개입니다.',
    'Switch the operation from cross-correlation to **convolution** with the **Left sobel** kernel. What happens to the colours, and why?':
        '**왼쪽 소벨** 커널로 연산을 교차상관에서 **합성곱**으로 바꾸세요. 색이 어떻게 되고, 그 이유는 무엇일까요?',
    'Red and blue swap: convolution flips the kernel by 180°, and a Sobel kernel flipped by 180° is its own negative.':
        '빨강과 파랑이 서로 바뀝니다. 합성곱은 커널을 180° 뒤집는데, 소벨 커널을 180° 뒤집으면 부호만 반대인 커널이 됩니다.',
    'Press **Play**. What held-out accuracy does the small CNN reach within a minute?':
        '**재생**을 누르세요. 작은 CNN은 1분 안에 검증 정확도가 얼마나 될까요?',
    'Above 90 % on the bundled digits: the status line and the accuracy curve show it.':
        '함께 배포된 숫자에서 90 %를 넘습니다. 상태 줄과 정확도 곡선에서 볼 수 있습니다.',
    'In **Learned kernels**, which hand-made kernels do the first-layer kernels come to resemble?':
        '**학습된 커널**에서, 첫 층의 커널은 어떤 손으로 만든 커널을 닮아 갈까요?',
    'Edge and Sobel-like detectors: each learned kernel is shown beside the preset it matches best.':
        '윤곽선과 소벨 같은 검출기입니다. 학습된 커널마다 가장 잘 맞는 프리셋이 옆에 나옵니다.',
    'A Conv2D layer has 3×3 kernels, 1 input channel and 8 filters, with biases. How many parameters is that? Check your rule in **Layers & parameters**.':
        'Conv2D 층이 3×3 커널, 입력 채널 1개, 필터 8개에 편향을 씁니다. 매개변수는 몇 개일까요? **층과 매개변수**에서 규칙을 확인하세요.',
    '3·3·1·8 + 8 = 80: kh·kw·C_in·filters weights plus one bias per filter.':
        '3·3·1·8 + 8 = 80: kh·kw·C_in·filters개의 가중치에 필터마다 편향 하나입니다.',
    "In **Confusion & mistakes**, where are the network's mistakes in the confusion matrix?":
        '**혼동 행렬과 실수**에서, 신경망의 실수는 혼동 행렬의 어디에 있을까요?',
    'Off the diagonal: each cell off it counts held-out digits of one class (row) read as another (column).':
        '대각선 밖입니다. 대각선 밖의 칸마다 한 클래스(행)의 검증 숫자를 다른 클래스(열)로 읽은 개수가 들어 있습니다.',
    'In the **1-D worked example**, what does [1, 2, 3] with the kernel [−1, 1] give, and how long is it?':
        '**1차원 예제**에서 [1, 2, 3]과 커널 [−1, 1]은 무엇을 주고, 길이는 얼마일까요?',
    '[−1, −1, −1, 3], of length (3 − 1)·1 + 2 = 4: each input value stamps x[i]·k and the stamps add up.':
        '[−1, −1, −1, 3]이고 길이는 (3 − 1)·1 + 2 = 4입니다. 입력 값마다 x[i]·k를 찍고, 찍힌 값들이 더해집니다.',
    'In **2-D scatter**, set a 5×5 input, a 3×3 kernel, stride 2 and padding p = 1. How large is the output? What does output padding 1 change?':
        '**2차원 흩뿌리기**에서 입력 5×5, 커널 3×3, 스트라이드 2, 패딩 p = 1로 두세요. 출력은 얼마나 클까요? 출력 패딩 1은 무엇을 바꿀까요?',
    '9×9 = (5 − 1)·2 + 3 − 2·1; output padding 1 adds a row and a column at the bottom and right: 10×10.':
        '9×9 = (5 − 1)·2 + 3 − 2·1입니다. 출력 패딩 1은 아래와 오른쪽에 행과 열을 하나씩 더해 10×10이 됩니다.',
    'In the **Matrix view** with a 4×4 input and stride 1, what shape is C, and is CᵀC the identity?':
        '**행렬로 보기**에서 입력 4×4, 스트라이드 1이면 C의 모양은 무엇이고, CᵀC는 단위 행렬일까요?',
    'C is 4×16 (a valid 3×3 convolution of a 4×4 input has 4 outputs); CᵀC is 16×16 and not the identity, so Cᵀ does not undo C.':
        'C는 4×16입니다(4×4 입력에 valid 3×3 합성곱을 하면 출력이 4개). CᵀC는 16×16이고 단위 행렬이 아니므로 Cᵀ는 C를 되돌리지 않습니다.',
    'In **Checkerboard artifacts** with stride 2, which kernel sizes spread the stamps evenly?':
        '스트라이드 2의 **체커보드 무늬**에서, 어떤 커널 크기가 찍힌 값을 고르게 퍼뜨릴까요?',
    '2, 4 and 6: the overlap is even when the kernel size is divisible by the stride.':
        '2, 4, 6입니다. 커널 크기가 스트라이드로 나누어떨어질 때 겹침이 고릅니다.',
    'In **Deconvolution**, which result has the lowest PSNR, and why?':
        '**디컨볼루션**에서 PSNR이 가장 낮은 결과는 무엇이고, 그 이유는 무엇일까요?',
    'The transposed convolution with the same kernel: it applies Cᵀ, which blurs again, where Wiener and Richardson-Lucy undo the blur.':
        '같은 커널의 전치 합성곱입니다. 위너와 리처드슨-루시는 흐림을 되돌리지만, 전치 합성곱은 Cᵀ를 적용해 다시 흐리게 만듭니다.',
    'Press **Play** on the autoencoder. How do the reconstructions at the first steps compare with those a minute later?':
        '오토인코더에서 **재생**을 누르세요. 처음 몇 단계의 복원 결과는 1분 뒤의 결과와 어떻게 다를까요?',
    'At first grey blobs; within a minute recognisable digits, while the loss curve falls.':
        '처음에는 회색 얼룩이고, 1분 안에 알아볼 수 있는 숫자가 되며 손실 곡선은 내려갑니다.',
    'For the VAE, what does a smaller KL weight β trade against a larger one?':
        'VAE에서 KL 가중치 β를 작게 하는 것과 크게 하는 것은 무엇을 맞바꿀까요?',
    'Smaller β: sharper reconstructions and digit classes further apart in the latent space; larger β: a smoother latent space that follows the prior more closely.':
        '작은 β: 더 선명한 복원과 잠재 공간에서 더 멀리 떨어진 숫자 클래스. 큰 β: 사전 분포를 더 가깝게 따르는 더 매끄러운 잠재 공간.',
    'Train the DCGAN. What does a discriminator accuracy near 0.5 mean?':
        'DCGAN을 학습시키세요. 판별자 정확도가 0.5 근처라는 것은 무슨 뜻일까요?',
    'The discriminator can no longer tell real digits from generated ones better than a coin.':
        '판별자가 진짜 숫자와 생성된 숫자를 동전 던지기보다 잘 구별하지 못한다는 뜻입니다.',
    "Press **Step D** several times without **Step G**. What happens to the discriminator's accuracy, and why?":
        '**G 한 단계** 없이 **D 한 단계**를 여러 번 누르세요. 판별자의 정확도는 어떻게 되고, 왜 그럴까요?',
    'It rises: only the discriminator learns, against a generator that does not change.':
        '올라갑니다. 변하지 않는 생성자를 상대로 판별자만 배우기 때문입니다.',
    'In the **IoU calculator**, type the boxes (0, 0, 4, 4) and (2, 2, 6, 6). What are the intersection, the union and the IoU?':
        '**IoU 계산기**에 상자 (0, 0, 4, 4)와 (2, 2, 6, 6)을 입력하세요. 교집합, 합집합, IoU는 얼마일까요?',
    'Intersection 2·2 = 4, union 16 + 16 − 4 = 28, IoU 4 / 28 ≈ 0.1429.':
        '교집합 2·2 = 4, 합집합 16 + 16 − 4 = 28, IoU 4 / 28 ≈ 0.1429입니다.',
    'How many numbers does YOLO v1 predict for one image, and why 30 per grid cell?':
        'YOLO v1은 이미지 하나에 숫자를 몇 개 예측하고, 격자 칸마다 왜 30개일까요?',
    '7·7·30 = 1,470: each cell predicts 2 boxes of 5 numbers (x, y, w, h, confidence) and 20 class probabilities.':
        '7·7·30 = 1,470개입니다. 칸마다 숫자 5개(x, y, w, h, 신뢰도)로 된 상자 2개와 클래스 확률 20개를 예측합니다.',
    'With the 800-pixel scene in **Anchor boxes**, how many anchors are there at stride 16 with 3 ratios × 3 scales?':
        '**앵커 박스**에서 800픽셀 장면이면, 스트라이드 16에 비율 3개 × 크기 3개로 앵커가 몇 개일까요?',
    '50·50 positions × 9 anchors = 22,500.':
        '위치 50·50개 × 앵커 9개 = 22,500개입니다.',
    'In **Non-max suppression**, raise the IoU threshold. Are more or fewer boxes kept?':
        '**비최대 억제**에서 IoU 임곗값을 올리세요. 남는 상자는 많아질까요, 적어질까요?',
    'More: a box is removed only when it overlaps a kept, higher-scoring box by more than the threshold.':
        '많아집니다. 상자는 점수가 더 높은 남은 상자와 임곗값보다 많이 겹칠 때만 지워집니다.',
    "In **Segmentation metrics**, predict the disc's bounding box instead of the disc. Why does the box IoU stay at 1 while the mask IoU drops?":
        '**분할 지표**에서 원 대신 원의 경계 상자를 예측하세요. 상자 IoU는 1로 남는데 마스크 IoU는 왜 떨어질까요?',
    "The boxes around the shapes are the same, but the box's corners are not disc: 1 − π/4, about a fifth of its pixels.":
        '도형을 둘러싼 상자는 같지만, 상자의 모서리는 원이 아닙니다: 픽셀의 1 − π/4, 약 5분의 1입니다.',
    "IoU calculator": "IoU 계산기",
    "Box {name} (pixels)": "상자 {name} (픽셀)",
    "IoU = {iou}": "IoU = {iou}",
    "Area of A": "A의 넓이",
    "Area of B": "B의 넓이",
    "Intersection": "교집합",
    "Union": "합집합",
    "Intersection: x from max({a0}, {b0}) = {x0} to min({a2}, {b2}) = {x1}; y from max({a1}, {b1}) = {y0} to "
    "min({a3}, {b3}) = {y1}.": "교집합: x는 max({a0}, {b0}) = {x0}부터 min({a2}, {b2}) = {x1}까지, y는 "
    "max({a1}, {b1}) = {y0}부터 min({a3}, {b3}) = {y1}까지입니다.",
    "The boxes do not overlap, so the intersection is 0 and so is the IoU.":
        "두 상자가 겹치지 않으므로 교집합은 0이고 IoU도 0입니다.",
    "Union = area A + area B − intersection = {a} + {b} − {i} = {u}; IoU = {i} / {u} = **{iou}**.":
        "합집합 = A의 넓이 + B의 넓이 − 교집합 = {a} + {b} − {i} = {u}, IoU = {i} / {u} = **{iou}**.",
    "The 6×6 picture (a line and a bar)": "6×6 그림(세로줄과 가로 막대)",
    "Numbers I type (up to 7×7)": "직접 입력한 숫자(최대 7×7)",
    "Your matrix (rows separated by ';', numbers by ',')": "내 행렬(행은 ';', 숫자는 ','로 구분)",
    "rows of 1-7 numbers separated by ';', cells by ',', e.g. 0,1,2;3,4,5;6,7,8":
        "';'로 구분한 행마다 ','로 구분한 숫자 1~7개, 예: 0,1,2;3,4,5;6,7,8",
    "Textbook example: 0..8 with a 2×2 kernel of ones, boundary nearest":
        "교과서 예제: 0..8 행렬, 모두 1인 2×2 커널, 경계 nearest",
    "Whole output": "전체 출력",
    "Showing the example 0,1,2;3,4,5;6,7,8 instead.": "대신 예제 0,1,2;3,4,5;6,7,8을 보여 줍니다.",
    "Convolution (kernel flipped)": "합성곱(커널을 뒤집음)",
    "Stride": "스트라이드",
    "Padding": "패딩",
    "valid: no padding, output shrinks · same: output = ceil(input / stride) · full: every partial overlap":
        "valid: 패딩 없음, 출력이 작아짐 · same: 출력 = ceil(입력 / 스트라이드) · full: 조금이라도 겹치는 모든 위치",
    "Dilation": "팽창(dilation)",
    "Spread the kernel taps apart.": "커널의 탭 사이를 벌립니다.",
    "Boundary mode (how pixels beyond the edge are made up)": "경계 모드(가장자리 밖의 픽셀을 만드는 방법)",
    "Max-pool size": "맥스 풀링 크기",
    "**Output size** · rows {rows} · columns {cols} · padding (top, bottom, left, right) = {pads}":
        "**출력 크기** · 행 {rows} · 열 {cols} · 패딩(위, 아래, 왼쪽, 오른쪽) = {pads}",
    "Filter → Detect → Condense": "필터 → 검출 → 압축",
    "Numbers, step by step": "숫자로 한 단계씩",
    "Shapes & parameters": "크기와 매개변수",
    "Check & code": "검증과 코드",
    "Input ({h}×{w})": "입력 ({h}×{w})",
    "Filter: conv {h}×{w}": "필터: 합성곱 {h}×{w}",
    "Detect: ReLU": "검출: ReLU",
    "Condense: max-pool {p}×{p} → {h}×{w}": "압축: 맥스 풀링 {p}×{p} → {h}×{w}",
    "The same kernel on each colour channel (clipped to 0..1)": "각 색 채널에 같은 커널을 적용한 결과(0..1로 자름)",
    "A 6×6 picture with a vertical line and a horizontal bar. Step the window across it and watch each multiply-add fill in the output.":
        "세로선과 가로 막대가 있는 6×6 그림입니다. 창을 한 칸씩 옮기며 곱셈·덧셈이 출력을 채워 가는 모습을 보세요.",
    "Use the 2×2 demo kernel [[1, −1], [1, −1]] (off: the kernel chosen in the sidebar)":
        "2×2 예제 커널 [[1, −1], [1, −1]] 사용(끄면 사이드바에서 고른 커널)",
    "Play": "재생",
    "Window position": "창 위치",
    "Padded input": "패딩된 입력",
    "Kernel as applied": "적용되는 커널",
    "Products": "곱",
    "Output so far": "지금까지의 출력",
    "How big is a layer's output, and how many weights does it learn? Defaults: a Full-HD photo into `Conv2D(16, 5×5, strides=5, use_bias=False)`, next to a Dense layer on the same photo.":
        "층의 출력은 얼마나 크고, 학습할 가중치는 몇 개일까요? 기본값: Full-HD 사진을 `Conv2D(16, 5×5, strides=5, use_bias=False)`에 넣은 경우와, 같은 사진을 Dense 층에 넣은 경우.",
    "Input height": "입력 높이",
    "Input width": "입력 너비",
    "Input channels": "입력 채널",
    "Filters / units": "필터 / 유닛 수",
    "Kernel size": "커널 크기",
    "Layer stride": "층 스트라이드",
    "Layer padding": "층 패딩",
    "Use bias": "편향 사용",
    "Conv2D output": "Conv2D 출력",
    "Conv2D parameters": "Conv2D 매개변수",
    "Dense({units}) on the flattened input": "펼친 입력에 Dense({units})",
    "{ratio}× more": "{ratio}배 많음",
    "Height": "높이",
    "Width": "너비",
    "Dense parameters": "Dense 매개변수",
    "Largest difference from SciPy": "SciPy와의 최대 차이",
    "SciPy recomputes the filtered image independently (scipy.ndimage.convolve where the settings allow, else numpy.pad + scipy.signal.correlate2d). float32 rounding gives differences near 1e-6.":
        "SciPy가 필터 결과를 독립적으로 다시 계산합니다(가능하면 scipy.ndimage.convolve, 아니면 numpy.pad + scipy.signal.correlate2d). float32 반올림 때문에 1e-6 정도의 차이가 납니다.",
    "Also check with TensorFlow (loads TensorFlow, a few seconds)": "TensorFlow로도 검증(TensorFlow를 불러오느라 몇 초 걸림)",
    "Loading TensorFlow…": "TensorFlow 불러오는 중…",
    "Largest difference from tf.nn.conv2d": "tf.nn.conv2d와의 최대 차이",
    # --- upsampling --------------------------------------------------------------------------------
    "**Transposed convolution** is how networks *upsample*: each input pixel stamps a scaled copy of a learnable kernel and overlaps add up. Mathematically it is the **transpose Cᵀ** of a convolution matrix C — not its inverse. **Deconvolution** means *undoing* a convolution, e.g. removing a known blur. The two are often confused; this page shows why they differ.":
        "**전치 합성곱**은 신경망이 *업샘플링*하는 방법입니다: 입력 픽셀마다 학습 가능한 커널을 그 값만큼 키워 찍고, 겹치는 부분은 더합니다. 수학적으로는 합성곱 행렬 C의 **전치 Cᵀ**이며 역행렬이 아닙니다. **디컨볼루션**은 합성곱을 *되돌리는* 것, 예를 들어 알려진 흐림을 없애는 것입니다. 둘은 자주 혼동되는데, 이 페이지에서 차이를 확인할 수 있습니다.",
    "1-D worked example": "1차원 예제",
    "2-D scatter, step by step": "2차원 흩뿌리기, 한 단계씩",
    "Matrix view: C and Cᵀ": "행렬로 보기: C와 Cᵀ",
    "Checkerboard artifacts": "체커보드 무늬",
    "Deconvolution": "디컨볼루션",
    "Decoders compared": "디코더 비교",
    "Input x": "입력 x",
    "1-8 numbers within ±1000, e.g. 1,2,3": "±1000 이내의 수 1-8개, 예: 1,2,3",
    "Kernel k": "커널 k",
    "1-5 numbers within ±1000, e.g. -1,1": "±1000 이내의 수 1-5개, 예: -1,1",
    "Showing the example [1, 2, 3] with [-1, 1] instead.": "대신 [1, 2, 3]과 [-1, 1] 예제를 보여 줍니다.",
    "Each input value stamps **x[i]·k** starting at position i·stride; the stamps add up to **y = [{y}]** (length (n−1)·s + k = {formula}).":
        "각 입력값은 위치 i·stride부터 **x[i]·k**를 찍고, 찍힌 값을 모두 더한 결과는 **y = [{y}]** 입니다 (길이 (n−1)·s + k = {formula}).",
    "Rows: stamps x[i]·k · last row: their sum y": "각 행: 찍힌 값 x[i]·k · 마지막 행: 그 합 y",
    "C: convolution of a length-{n} signal with k (valid, stride {s})": "C: 길이 {n} 신호와 k의 합성곱(valid, 스트라이드 {s})",
    "Cᵀ: transposed convolution, y = Cᵀx": "Cᵀ: 전치 합성곱, y = Cᵀx",
    "With stride 1 this is exactly `scipy.signal.convolve(x, k)` = {y}": "스트라이드 1에서는 `scipy.signal.convolve(x, k)`와 정확히 같습니다 = {y}",
    "Output padding": "출력 패딩",
    "Extra rows/columns at the bottom/right; must be smaller than the stride.": "아래/오른쪽에 더하는 행/열. 스트라이드보다 작아야 합니다.",
    "Input pixels stamped so far": "지금까지 찍은 입력 픽셀 수",
    "Input (3×3)": "입력 (3×3)",
    "Kernel ({k}×{k})": "커널 ({k}×{k})",
    "Output {h}×{w} after {n} stamps": "{n}번 찍은 뒤의 출력 {h}×{w}",
    "Input pixel ({r}, {q}) = {v} adds {v} × kernel at output rows {top}..{bottom}, columns {left}..{right} (cells outside the output are cropped by the padding).":
        "입력 픽셀 ({r}, {q}) = {v}은(는) 출력의 {top}..{bottom}행, {left}..{right}열에 {v} × 커널을 더합니다(출력 밖의 칸은 패딩으로 잘려 나갑니다).",
    "**Output size**: {formula}": "**출력 크기**: {formula}",
    "valid (p = 0)": "valid (p = 0)",
    "Input ({n}×{n})": "입력 ({n}×{n})",
    "valid and same as in Keras; p = 1, 2, … crops p rows and columns from each side, as PyTorch's "
    "ConvTranspose2d(padding=p).": "valid와 same은 Keras와 같습니다. p = 1, 2, …는 PyTorch의 "
    "ConvTranspose2d(padding=p)처럼 양쪽에서 p개의 행과 열을 잘라 냅니다.",
    "Input size (n×n)": "입력 크기 (n×n)",
    "Flatten a {n}×{n} input into a vector of {nn}. A 3×3 convolution (valid, stride {s}) is then the matrix C of shape {rows}×{cols}: each row holds the kernel, shifted. Transposed convolution multiplies by Cᵀ, mapping the small vector back to the big shape. Cᵀ C is not the identity, so Cᵀ does not undo C.":
        "{n}×{n} 입력을 길이 {nn}의 벡터로 펼치면, 3×3 합성곱(valid, 스트라이드 {s})은 {rows}×{cols} 크기의 행렬 C가 됩니다. 각 행에는 위치를 옮긴 커널이 들어 있습니다. 전치 합성곱은 Cᵀ를 곱해 작은 벡터를 큰 모양으로 되돌립니다. Cᵀ C는 단위행렬이 아니므로 Cᵀ는 C를 되돌리지 못합니다.",
    "Cᵀ C (not the identity)": "Cᵀ C (단위행렬이 아님)",
    "Random kernel seed": "무작위 커널 시드",
    "uneven overlap → checkerboard": "고르지 않은 겹침 → 체커보드",
    "even overlap in the interior": "안쪽은 고르게 겹침",
    "Kernel {k}, stride {s}: **{verdict}**. When the kernel size is not divisible by the stride, some output pixels receive more stamps than their neighbours (Odena, Dumoulin & Olah, *Deconvolution and Checkerboard Artifacts*, Distill 2016).":
        "커널 {k}, 스트라이드 {s}: **{verdict}**. 커널 크기가 스트라이드로 나누어떨어지지 않으면 어떤 출력 픽셀은 이웃보다 더 많이 찍힙니다(Odena, Dumoulin & Olah, *Deconvolution and Checkerboard Artifacts*, Distill 2016).",
    "Taps reaching each output pixel": "각 출력 픽셀에 닿는 탭 수",
    "Flat image → Conv2DTranspose": "평평한 이미지 → Conv2DTranspose",
    "Flat image → resize, then Conv2D (the remedy)": "평평한 이미지 → 크기 조정 후 Conv2D(해결책)",
    "A perfectly flat input should give a flat output. The transposed convolution paints a grid pattern; resize-then-convolve stays flat away from the border.":
        "완전히 평평한 입력은 평평한 출력을 내야 합니다. 전치 합성곱은 격자 무늬를 그리지만, 크기 조정 후 합성곱은 가장자리를 빼면 평평하게 유지됩니다.",
    "Image for the deconvolution tab": "디컨볼루션 탭에서 쓸 이미지",
    "Blur": "흐림",
    "Gaussian": "가우시안",
    "Motion": "움직임",
    "Blur size": "흐림 크기",
    "Noise σ": "잡음 σ",
    "Wiener noise-to-signal": "위너 잡음 대 신호 비",
    "Richardson-Lucy iterations": "리처드슨-루시 반복 횟수",
    "Original": "원본",
    "Blurred (input)": "흐려진 이미지(입력)",
    "Inverse filter": "역필터",
    "Wiener": "위너 필터",
    "Richardson-Lucy": "리처드슨-루시",
    "Transposed conv (same kernel)": "전치 합성곱(같은 커널)",
    "Higher PSNR = closer to the original. Wiener and Richardson-Lucy use the known blur to undo it. Transposed convolution with the same kernel blurs again (it applies Cᵀ, not C⁻¹), so its PSNR drops.":
        "PSNR이 높을수록 원본에 가깝습니다. 위너와 리처드슨-루시는 알려진 흐림을 이용해 되돌립니다. 같은 커널의 전치 합성곱은 다시 흐리게 만들기 때문에(C⁻¹가 아니라 Cᵀ를 적용) PSNR이 떨어집니다.",
    "Two ways a decoder doubles resolution, on the same 8×8 feature map and the same 3×3 kernel: **UpSampling2D + Conv2D** (resize, then convolve) and **Conv2DTranspose(strides=2)**.":
        "같은 8×8 특징 맵과 같은 3×3 커널로 디코더가 해상도를 두 배로 만드는 두 가지 방법: **UpSampling2D + Conv2D**(크기 조정 후 합성곱)와 **Conv2DTranspose(strides=2)**.",
    "Kernel seed": "커널 시드",
    "Feature map (8×8)": "특징 맵 (8×8)",
    "UpSampling2D(2) + Conv2D(3×3)": "UpSampling2D(2) + Conv2D(3×3)",
    "Train both decoders on digits in the Train live lesson →": "실시간 학습 수업에서 두 디코더로 숫자를 학습해 보세요 →",
    # --- detection -------------------------------------------------------------------------------
    "Detection: from YOLO's grid to anchor boxes": "객체 탐지: YOLO 격자에서 앵커 박스까지",
    "Picture": "그림",
    "Built-in scene": "내장 장면",
    "Upload image + VOC XML": "이미지 + VOC XML 업로드",
    "Skip 'difficult' objects": "'difficult' 객체 건너뛰기",
    "VOC XML annotation": "VOC XML 주석",
    "Showing the built-in scene instead.": "대신 내장 장면을 보여 줍니다.",
    "Choose both files; until then the built-in scene is shown.": "두 파일을 모두 고르세요. 그때까지는 내장 장면을 보여 줍니다.",
    "Boxes & VOC XML": "박스와 VOC XML",
    "YOLO v1 grid": "YOLO v1 격자",
    "Anchor boxes": "앵커 박스",
    "Non-max suppression": "비최대 억제",
    "Losses & YOLO network": "손실과 YOLO 네트워크",
    "{n} objects": "객체 {n}개",
    "class": "클래스",
    "Download this annotation (VOC XML)": "이 주석 내려받기(VOC XML)",
    "Grid size S": "격자 크기 S",
    "Object": "객체",
    "{s}×{s} grid: the cell holding each box centre is responsible": "{s}×{s} 격자: 박스 중심이 들어 있는 칸이 그 박스를 담당합니다",
    "**Target for cell ({row}, {col})** — {n} numbers = B·5 + C = 2·5 + 20": "**칸 ({row}, {col})의 목표값** — 숫자 {n}개 = B·5 + C = 2·5 + 20",
    "slot": "자리",
    "value": "값",
    "Decode-back check: {n} boxes decoded from the {s}×{s}×30 tensor; the worst match with its ground-truth box has IoU {iou}.":
        "역디코딩 검증: {s}×{s}×30 텐서에서 박스 {n}개를 되살렸고, 정답 박스와 가장 덜 맞는 것의 IoU는 {iou}입니다.",
    "Stride (feature-map cell size, px)": "스트라이드(특징 맵 칸 크기, 픽셀)",
    "Aspect ratios w/h": "가로세로 비 w/h",
    "Scales (× stride)": "크기 배율(× 스트라이드)",
    "Feature map {fh}×{fw} cells × {k} anchors per cell = **{n} anchors** (the Faster R-CNN default, 800×800, stride 16, 3 ratios × 3 scales, gives 22,500).":
        "특징 맵 {fh}×{fw}칸 × 칸마다 앵커 {k}개 = **앵커 {n}개** (Faster R-CNN 기본값인 800×800, 스트라이드 16, 비율 3개 × 배율 3개는 22,500개).",
    "Positive IoU ≥": "양성 IoU ≥",
    "Negative IoU <": "음성 IoU <",
    "Object for the IoU heatmap": "IoU 히트맵에 쓸 객체",
    "Show the cell at the object's centre": "객체 중심의 칸 보기",
    "Feature-map row": "특징 맵 행",
    "Feature-map column": "특징 맵 열",
    "Positive anchors": "양성 앵커",
    "Negative anchors": "음성 앵커",
    "Ignored anchors": "무시하는 앵커",
    "The {k} anchors of feature-map cell ({r}, {c})": "특징 맵 칸 ({r}, {c})의 앵커 {k}개",
    "Best anchor IoU per cell with object {i} ({name})": "칸마다 객체 {i}({name})와의 최고 앵커 IoU",
    "Positive anchors (green) and ground truth": "양성 앵커(초록)와 정답 박스",
    "**Best anchor for object {i}**: index {best}, IoU {iou}": "**객체 {i}에 가장 잘 맞는 앵커**: 번호 {best}, IoU {iou}",
    "offset": "오프셋",
    "Decoding the offsets against the anchor gives back {box}.": "이 오프셋을 앵커에 대해 디코딩하면 {box}(으)로 돌아옵니다.",
    "Score threshold": "점수 임계값",
    "IoU threshold": "IoU 임계값",
    "Per class": "클래스별",
    "Before: {n} candidates": "이전: 후보 {n}개",
    "After NMS: {n} kept": "NMS 이후: {n}개 남음",
    "Greedy NMS: take the highest-scoring box, drop every other box whose IoU with it exceeds the threshold, repeat. Per-class NMS never lets a dog suppress a person.":
        "탐욕적 NMS: 점수가 가장 높은 박스를 고르고, 그 박스와의 IoU가 임계값을 넘는 다른 박스를 모두 버린 뒤 반복합니다. 클래스별 NMS에서는 개가 사람을 지우는 일이 없습니다.",
    "Losses of a box offset error x": "박스 오프셋 오차 x에 대한 손실",
    "error x": "오차 x",
    "loss": "손실",
    "step": "단계",
    "d loss": "D 손실",
    "g loss": "G 손실",
    "Their gradients": "각 손실의 기울기",
    "Smooth L1 behaves like L2 near zero (gentle, smooth gradients) and like L1 far away (gradients never exceed 1, so outliers cannot blow up training) — why Fast/Faster R-CNN use it for box offsets.":
        "Smooth L1은 0 근처에서는 L2처럼(완만하고 매끄러운 기울기), 멀리서는 L1처럼(기울기가 1을 넘지 않아 이상치가 학습을 망치지 못함) 동작합니다. 그래서 Fast/Faster R-CNN이 박스 오프셋에 사용합니다.",
    "YOLO v1 loss, term by term": "YOLO v1 손실, 항별로",
    "Prediction error (noise added to the target)": "예측 오차(목표값에 더한 잡음)",
    "coord xy": "좌표 xy",
    "coord wh": "좌표 wh",
    "object": "객체 있음",
    "no object": "객체 없음",
    "total": "합계",
    "λ_coord = 5 weights the box terms up; λ_noobj = 0.5 weights down the many empty cells. Width and height are compared through square roots so small boxes matter as much as big ones.":
        "λ_coord = 5는 박스 항의 비중을 키우고, λ_noobj = 0.5는 수많은 빈 칸의 비중을 줄입니다. 너비와 높이는 제곱근으로 비교하므로 작은 박스도 큰 박스만큼 중요해집니다.",
    "The YOLO v1 network (448×448×3 → 7×7×30)": "YOLO v1 네트워크 (448×448×3 → 7×7×30)",
    "layer": "층",
    "detail": "설명",
    "output": "출력",
    "parameters": "매개변수",
    "Total parameters": "전체 매개변수",
    # --- training --------------------------------------------------------------------------------
    "Train live: autoencoders, VAE and DCGAN": "실시간 학습: 오토인코더, VAE, DCGAN",
    "Model": "모델",
    "AE: autoencoder that compresses and rebuilds images, with an UpSampling2D+Conv2D or a Conv2DTranspose decoder. VAE: variational autoencoder. DCGAN: generator vs discriminator.":
        "AE: 이미지를 압축했다가 다시 만드는 오토인코더(UpSampling2D+Conv2D 또는 Conv2DTranspose 디코더). VAE: 변분 오토인코더. DCGAN: 생성자 대 판별자.",
    "Dataset": "데이터셋",
    "MNIST digits": "MNIST 손글씨 숫자",
    "Fashion-MNIST": "Fashion-MNIST",
    "CIFAR-10 (colour)": "CIFAR-10(컬러)",
    "Bundled MNIST test digits (offline)": "함께 배포된 MNIST 테스트 숫자(오프라인)",
    "Your own file (.npz, IDX, .zip)": "내 파일(.npz, IDX, .zip)",
    "Dataset file": "데이터셋 파일",
    "No usable file yet: the bundled MNIST test digits will be used.": "아직 쓸 수 있는 파일이 없어 함께 배포된 MNIST 테스트 숫자를 사용합니다.",
    "Layout": "구조",
    "Better: 16-32-8 + BCE": "개선형: 16-32-8 + BCE",
    "Classic: 16-8-4 + MSE": "고전형: 16-8-4 + MSE",
    "Better: wider layers and binary cross-entropy, clear reconstructions in seconds. Classic: the original tutorial's layout and loss, which stays blurry for longer.":
        "개선형: 더 넓은 층과 이진 교차 엔트로피로 몇 초 만에 선명하게 복원합니다. 고전형: 원래 튜토리얼의 구조와 손실로, 더 오래 흐릿하게 남습니다.",
    "Latent dimensions": "잠재 공간 차원",
    "Network width": "네트워크 너비",
    "1.0 = the reference DCGAN (256/128/64 filters). On a CPU, 0.25 trains about 10x faster.":
        "1.0 = 기준 DCGAN(필터 256/128/64). CPU에서는 0.25가 약 10배 빠르게 학습합니다.",
    "Batch size": "배치 크기",
    "Learning rate": "학습률",
    "Time limit (seconds)": "시간 제한(초)",
    "Device": "장치",
    "This machine has a GPU ({gpus}), but the installed {backend} build cannot use it, so training runs on the CPU. "
    "To train on the GPU, install requirements-gpu.txt instead of requirements.txt.":
        "이 컴퓨터에는 GPU({gpus})가 있지만 설치된 {backend} 빌드는 GPU를 쓸 수 없어 학습이 CPU에서 실행됩니다. "
        "GPU로 학습하려면 requirements.txt 대신 requirements-gpu.txt를 설치하세요.",
    "Pause": "일시정지",
    "Step": "한 단계",
    "Steps": "학습 단계",
    "Stop": "정지",
    "Reset": "초기화",
    "You changed a setting: press **Reset** to train with the new settings.": "설정을 바꾸셨습니다. 새 설정으로 학습하려면 **초기화**를 누르세요.",
    "loading data and building the model…": "데이터를 불러오고 모델을 만드는 중…",
    "Idle": "대기",
    "Preparing": "준비 중",
    "Running": "학습 중",
    "Paused": "일시정지됨",
    "Stopped": "정지됨",
    "Finished": "완료",
    "Error": "오류",
    "Epoch": "에포크",
    "Images / s": "초당 이미지",
    "Time left": "남은 시간",
    "Training time": "학습 시간",
    "Loss": "손실",
    "D accuracy on real": "진짜 이미지에 대한 판별자 정확도",
    "D accuracy on fake": "가짜 이미지에 대한 판별자 정확도",
    "Discriminator accuracy (0.5 = it cannot tell)": "판별자 정확도(0.5 = 구별하지 못함)",
    "Generated from fixed noise at step {n}": "{n}단계에서 고정된 잡음으로 생성한 이미지",
    "Reconstructions at step {n}": "{n}단계의 복원 결과",
    "Originals (test images)": "원본(테스트 이미지)",
    "Test images in the 2-D latent space": "2차원 잠재 공간 속의 테스트 이미지",
    "Decoding a grid of latent points (z₁ across, z₂ up)": "잠재 공간의 격자점을 디코딩(z₁ 가로, z₂ 세로)",
    "Decoded from random latent points": "무작위 잠재점에서 디코딩한 이미지",
    "Walk through the latent space": "잠재 공간 걸어 보기",
    "Interpolate from the first test digit to the second": "첫 번째 테스트 숫자에서 두 번째 숫자로 보간",
    "Digit {a} sits at {za}; digit {b} at {zb}. Points in between decode to blends.":
        "숫자 {a}은(는) {za}, 숫자 {b}은(는) {zb}에 있습니다. 그 사이의 점은 두 숫자가 섞인 모양으로 디코딩됩니다.",
    "Interpolation is shown for a 2-D latent space.": "보간은 2차원 잠재 공간에서 보여 줍니다.",
    "Downloads": "내려받기",
    "Prepare model, GIF and samples": "모델, GIF, 샘플 준비",
    "Exporting…": "내보내는 중…",
    "Model (.keras)": "모델(.keras)",
    "Samples over time (.gif)": "시간에 따른 샘플(.gif)",
    "Samples (.npz, values in [0, 1])": "샘플(.npz, 값 범위 [0, 1])",
    "How this works": "작동 방식",
    "- Training runs in a background thread that belongs to your browser tab; this page polls it every second. You can visit other lessons and come back: it keeps going until the time limit. Closing the tab stops it.\n- At most {n} trainings run on this server at once; the others wait in a fair line and start by themselves. A paused training gives its slot back after {seconds} s and joins the line again on Play.\n- **Share this run** gives a link with which a whole class can watch this training live without training themselves.\n- One GAN iteration is one compiled step: k discriminator updates on real and generated images, then one generator update through the discriminator. **Step D** and **Step G** train one network only, as in GAN Lab. 50% accuracy means the discriminator can no longer tell real from fake.\n- Same thing from a terminal: `python -m engine.train --model dcgan --data mnist --seconds 120 --out runs/gan`.":
        "- 학습은 이 브라우저 탭의 백그라운드 스레드에서 진행되고, 이 페이지는 1초마다 상태를 확인합니다. 다른 수업을 보고 돌아와도 시간 제한까지 계속 학습합니다. 탭을 닫으면 멈춥니다.\n- 이 서버에서는 동시에 최대 {n}개의 학습만 실행됩니다. 나머지는 공정한 대기열에서 기다렸다가 차례가 오면 저절로 시작합니다. 일시정지한 학습은 {seconds}초 뒤 자리를 반납하고, 재생을 누르면 다시 대기열에 섭니다.\n- **이 학습 공유하기**의 링크로 반 전체가 직접 학습하지 않고도 이 학습을 실시간으로 볼 수 있습니다.\n- GAN의 한 반복은 컴파일된 한 단계입니다: 진짜와 생성된 이미지로 판별자를 k번 갱신한 다음, 판별자를 거쳐 생성자를 한 번 갱신합니다. **D 한 단계**와 **G 한 단계**는 GAN Lab처럼 한 네트워크만 학습합니다. 정확도 50%는 판별자가 더 이상 진짜와 가짜를 구별하지 못한다는 뜻입니다.\n- 터미널에서도 같은 일을 할 수 있습니다: `python -m engine.train --model dcgan --data mnist --seconds 120 --out runs/gan`.",
    "This shared run is not on the server any more (it was closed, or the link is incomplete). Ask for a new link, or train your own.":
        "이 공유 학습은 더 이상 서버에 없습니다(닫혔거나 링크가 불완전합니다). 새 링크를 요청하거나 직접 학습해 보세요.",
    "You are watching a shared run live: {model} on {data}. Only the person who started it can control it.":
        "공유된 학습을 실시간으로 보고 있습니다: {data}에서 학습하는 {model}. 시작한 사람만 조작할 수 있습니다.",
    "Train your own": "직접 학습하기",
    "Generator learning rate": "생성자 학습률",
    "GAN settings": "GAN 설정",
    "GAN loss": "GAN 손실",
    "Non-saturating: binary cross-entropy, G maximises log D(G(z)). Hinge: D pushes real scores above 1 and fakes below -1. Least squares: D's scores regress to 1 (real) and 0 (fake).":
        "비포화: 이진 교차 엔트로피로, G는 log D(G(z))를 최대화합니다. 힌지: D는 진짜 점수를 1 위로, 가짜 점수를 -1 아래로 밉니다. 최소제곱: D의 점수가 1(진짜)과 0(가짜)으로 회귀합니다.",
    "Non-saturating (BCE)": "비포화(BCE)",
    "Hinge": "힌지",
    "Least squares": "최소제곱",
    "Discriminator learning rate": "판별자 학습률",
    "Two time-scale update rule (TTUR): D and G may learn at different speeds.":
        "두 시간 척도 갱신 규칙(TTUR): D와 G가 서로 다른 속도로 배울 수 있습니다.",
    "Discriminator steps per generator step (k)": "생성자 한 단계당 판별자 단계 수(k)",
    "Label smoothing (real target 1 - s)": "레이블 평활화(진짜 목표값 1 - s)",
    "Step D": "D 한 단계",
    "Step G": "G 한 단계",
    "Share this run": "이 학습 공유하기",
    "Anyone who opens this link watches this training live (curves and samples), read-only: they cannot pause or change it and it costs no training slot.":
        "이 링크를 연 사람은 이 학습을 실시간으로(곡선과 샘플) 읽기 전용으로 봅니다. 일시정지하거나 바꿀 수 없고, 학습 자리를 차지하지 않습니다.",
    "Waiting for a free training slot: you are number {n} in line. Of the server's {slots} slots, {running} train now and {paused} are paused.":
        "빈 학습 자리를 기다리는 중: 대기열 {n}번째입니다. 서버의 학습 자리 {slots}개 가운데 {running}개는 지금 학습 중이고 {paused}개는 일시 정지 상태입니다.",
    "A paused training gives its slot back in {seconds} s.": "일시 정지된 학습이 {seconds}초 뒤에 자리를 내놓습니다.",
    "Estimated wait: about {seconds} s.": "예상 대기 시간: 약 {seconds}초.",
    "Your training starts by itself when your turn comes; keep this tab open.":
        "차례가 오면 학습이 저절로 시작되니 이 탭을 열어 두세요.",
    "Paused for more than {seconds} s, so this training gave its slot back for the class. Your model is kept: Play joins the line again.":
        "{seconds}초 넘게 일시 정지되어 이 학습은 다른 학생을 위해 자리를 내놓았습니다. 모델은 그대로 남아 있습니다. **재생**을 누르면 다시 대기열에 섭니다.",
    "Queued": "대기열에서 기다리는 중",
    "moving average of G's weights": "G 가중치의 이동 평균",
    "real images": "진짜 이미지",
    "generated images": "생성된 이미지",
    "What D thinks: its score on real and generated images": "D의 판단: 진짜와 생성된 이미지에 대한 점수",
    "D's probability that the image is real": "D가 본 진짜일 확률",
    "D's raw score": "D의 원점수",
    "images": "이미지 수",
    "Loss (mean of the last {n} steps)": "손실(최근 {n}단계 평균)",
    "Discriminator accuracy (0.5 = it cannot tell), mean of the last {n} steps": "판별자 정확도(0.5 = 구별하지 못함), 최근 {n}단계 평균",
    "KL weight β": "KL 가중치 β",
    "1 is the plain VAE (the ELBO). Smaller: sharper reconstructions and digit classes further apart in the latent space; larger: a smoother latent space that follows the prior more closely.":
        "1은 보통의 VAE(ELBO)입니다. 작게 하면 복원이 더 선명해지고 숫자 종류가 잠재 공간에서 더 멀리 떨어집니다. 크게 하면 잠재 공간이 더 매끄러워지고 사전 분포를 더 가깝게 따릅니다.",
    "How well the digits are told apart: {p} of these test digits have the same label as most of their 5 nearest neighbours in this space.":
        "숫자가 얼마나 잘 구별되는지: 이 테스트 숫자 중 {p}은(는) 이 공간에서 가장 가까운 이웃 5개 중 다수와 레이블이 같습니다.",
    'What a network learns: a small CNN and its kernels':
        '신경망이 배우는 것: 작은 CNN과 그 커널',
    'Conv 3×3 → ReLU → max-pool, twice, then one dense layer: a few thousand weights, trained live on digits. Its first-layer kernels start random and come to look like the hand-made ones of the Kernels lesson.':
        '3×3 합성곱 → ReLU → 맥스 풀링을 두 번, 그다음 밀집층 하나: 가중치 수천 개를 숫자 이미지로 실시간 학습합니다. 첫 층의 커널은 무작위로 시작해 커널 수업에서 손으로 만든 커널을 닮아 갑니다.',
    'Network size':
        '신경망 크기',
    'Training accuracy':
        '학습 정확도',
    'Held-out accuracy':
        '검증 정확도',
    'training (mean of the last {n} steps)':
        '학습 (최근 {n}단계 평균)',
    'held-out':
        '검증',
    "**First-layer kernels at step {n}**, each next to the hand-made kernel it is most like. The number after the name is the |cosine similarity| of the nine weights (1: the same pattern up to scale and sign, 0: nothing in common); **−** marks a kernel that is the preset's negative.":
        '**{n}단계의 첫 층 커널**과, 각 커널 옆에 가장 닮은 손수 만든 커널. 이름 뒤의 수는 아홉 가중치의 |코사인 유사도|입니다(1: 크기와 부호를 빼면 같은 패턴, 0: 공통점 없음). **−** 는 프리셋의 부호를 뒤집은 커널을 뜻합니다.',
    'Test image (0 to {last})':
        '테스트 이미지 (0부터 {last}까지)',
    "Convolution outputs are signed (red positive, blue negative); after ReLU and pooling the maps are non-negative and drawn in grey, darker = stronger. Computed by ConvLab's NumPy engine from the network's weights at step {n}.":
        '합성곱 출력에는 부호가 있습니다(빨강 양수, 파랑 음수). ReLU와 풀링 뒤의 맵은 음수가 없어 회색으로 그립니다(진할수록 강함). {n}단계의 가중치로 ConvLab의 NumPy 엔진이 계산했습니다.',
    "**{total} parameters** in all. conv1: 3·3·{c}·{a} weights + {a} biases; conv2: 3·3·{a}·{b} + {b}; the dense layer: {f}·{k} + {k}. Keras' `model.summary()` lists the same numbers.":
        '모두 **{total}개의 매개변수**. conv1: 가중치 3·3·{c}·{a}개 + 편향 {a}개, conv2: 3·3·{a}·{b} + {b}, 밀집층: {f}·{k} + {k}. Keras의 `model.summary()`도 같은 수를 보여 줍니다.',
    '**{correct} of {n}** held-out images right ({acc}) at step {step}. Off-diagonal cells are the mistakes: row = the true class, column = what the network said.':
        '{step}단계에서 검증 이미지 **{n}개 중 {correct}개** 정답({acc}). 대각선 밖의 칸이 실수입니다: 행 = 실제 클래스, 열 = 신경망의 답.',
    'Filters in the first and the second convolution. More filters: more kernels to look at, slower steps.':
        '첫째와 둘째 합성곱의 필터 수. 필터가 많을수록 볼 커널이 많아지고 단계가 느려집니다.',
    'On test images the network never trains on.':
        '신경망이 학습에 쓰지 않는 테스트 이미지에서 잰 값입니다.',
    'Accuracy':
        '정확도',
    'Kernel #{i} ≈ **{preset}** (similarity {s})':
        '커널 #{i} ≈ **{preset}** (유사도 {s})',
    'Open kernel #{i} in the Kernels lesson':
        '커널 #{i}을(를) 커널 수업에서 열기',
    "Opens a new tab with this kernel as a custom kernel, applied as a cross-correlation, which is what the network's Conv2D layer computes.":
        '이 커널을 사용자 커널로 새 탭에서 엽니다. 신경망의 Conv2D 층이 계산하는 것과 같이 교차상관으로 적용됩니다.',
    'Input':
        '입력',
    'Class scores (softmax): predicts {p} ({c}); the label is {y}':
        '클래스 점수(소프트맥스): 예측 {p} ({c}), 레이블은 {y}',
    'Layer':
        '층',
    'Type':
        '종류',
    'Output shape':
        '출력 모양',
    'Parameters':
        '매개변수',
    'Confusion matrix (held-out)':
        '혼동 행렬 (검증)',
    '**The surest mistakes**':
        '**가장 확신한 실수**',
    'Kernel to follow':
        '따라가 볼 커널',
    'No held-out image is misclassified.':
        '잘못 분류된 검증 이미지가 없습니다.',
    'Kernel #{i}: similarity to its closest presets during training':
        '커널 #{i}: 학습하는 동안 가장 닮은 프리셋과의 유사도',
    '#{i}: {y} → {p} ({c})':
        '#{i}: {y} → {p} ({c})',
    'Press **Play** (or **Step**): this view shows the network as it trains.':
        '**재생**(또는 **한 단계**)을 누르세요. 이 화면은 학습 중인 신경망을 보여 줍니다.',
    '|cosine similarity|':
        '|코사인 유사도|',
    'true {a}, predicted {b}: {c}':
        '실제 {a}, 예측 {b}: {c}',
    'probability':
        '확률',
    'predicted class':
        '예측 클래스',
    'true class':
        '실제 클래스',
    'What a network learns':
        '신경망이 배우는 것',
    'Train a small CNN on digits and watch its first-layer kernels turn into edge and Sobel detectors; feature maps, parameter counts and the mistakes it still makes.':
        '작은 CNN을 숫자로 학습시키며 첫 층 커널이 윤곽선·소벨 검출기로 바뀌는 모습을 봅니다. 특징 맵, 매개변수 수, 아직 남은 실수까지.',
    'Small CNN classifier':
        '작은 CNN 분류기',
    'Learned kernels':
        '학습된 커널',
    'Feature maps':
        '특징 맵',
    'Layers & parameters':
        '층과 매개변수',
    'Confusion & mistakes':
        '혼동 행렬과 실수',
    'Tiny: 4 + 8 filters':
        '아주 작게: 필터 4 + 8개',
    'Small: 8 + 16 filters':
        '작게: 필터 8 + 16개',
    'Wide: 16 + 32 filters':
        '넓게: 필터 16 + 32개',
    "A segmentation network labels **every pixel**. Move or grow the predicted shapes and watch the scores, all computed from one pixel confusion matrix (FCN paper's definitions).":
        '분할 신경망은 **모든 픽셀**에 레이블을 붙입니다. 예측한 도형을 옮기거나 키워 보며 점수를 살펴보세요. 모든 점수는 하나의 픽셀 혼동 행렬에서 계산합니다(FCN 논문의 정의).',
    'Predicted disc':
        '예측한 원판',
    "Predict the disc's bounding box instead of the disc":
        '원판 대신 원판의 경계 상자를 예측',
    'Predicted square':
        '예측한 정사각형',
    "**Box IoU vs mask IoU.** The boxes around the shapes can agree while the pixels do not: predict the disc's bounding box and the box IoU is 1, yet a quarter of those pixels are not disc.":
        '**상자 IoU와 마스크 IoU.** 도형을 둘러싼 상자는 일치해도 픽셀은 다를 수 있습니다. 원판의 경계 상자를 예측하면 상자 IoU는 1이지만 그 픽셀의 4분의 1은 원판이 아닙니다.',
    "Pixel accuracy = right pixels / all pixels; it stays high when a small object is missed, because background dominates. Mean pixel accuracy averages each class's recall; IoU = overlap / union per class; Dice = 2·overlap / (truth + prediction) = F1. Means run over the classes present.":
        '픽셀 정확도 = 맞힌 픽셀 / 전체 픽셀. 배경이 대부분이라 작은 물체를 놓쳐도 높게 나옵니다. 평균 픽셀 정확도는 클래스별 재현율의 평균, IoU = 클래스별 겹침 / 합집합, Dice = 2·겹침 / (정답 + 예측) = F1. 평균은 나타난 클래스들에 대해 냅니다.',
    'Segmentation metrics':
        '분할 지표',
    'Move right':
        '오른쪽으로 이동',
    'Move down':
        '아래로 이동',
    'Grow (negative: shrink)':
        '키우기 (음수: 줄이기)',
    'Ground truth':
        '정답',
    'Prediction':
        '예측',
    'Wrong pixels (orange-red)':
        '틀린 픽셀 (주홍색)',
    'Pixel accuracy':
        '픽셀 정확도',
    'Mean pixel accuracy':
        '평균 픽셀 정확도',
    'Mean IoU':
        '평균 IoU',
    'Frequency-weighted IoU':
        '빈도 가중 IoU',
    'Mean Dice (F1)':
        '평균 Dice (F1)',
    'Pixel confusion matrix':
        '픽셀 혼동 행렬',
    'pixels in truth':
        '정답 픽셀 수',
    'pixels predicted':
        '예측 픽셀 수',
    'accuracy (recall)':
        '정확도 (재현율)',
    'box IoU':
        '상자 IoU',
    'mask IoU':
        '마스크 IoU',
    'background':
        '배경',
    'disc':
        '원판',
    'square':
        '정사각형',
    'Cat':
        '고양이',
    'Coffee':
        '커피',
    'Astronaut':
        '우주비행사',
    'Rocket':
        '로켓',
    '{name} (photo)':
        '{name} (사진)',
    'Photographs (public domain or CC0, credited in the README) and pictures drawn by code; all built in, nothing is downloaded.':
        '사진(퍼블릭 도메인 또는 CC0, README에 출처 표기)과 코드로 그린 그림입니다. 모두 내장되어 있어 아무것도 내려받지 않습니다.',
    "This kernel's weights add up to {s} (more than 0): it keeps brightness, so its output is a picture, drawn in grey (black 0, white 1, beyond that clipped). Kernels whose weights add up to 0 (edges, Sobels) give signed responses, drawn in red and blue.":
        '이 커널의 가중치 합은 {s}(0보다 큼)입니다. 밝기를 유지하므로 출력은 그림이고 회색으로 그립니다(검정 0, 흰색 1, 그 밖은 잘라냄). 가중치 합이 0인 커널(윤곽선, 소벨)은 부호 있는 반응을 내며 빨강과 파랑으로 그립니다.',
    "This kernel's weights add up to about 0: its output is a signed response, not a picture. Blue is negative, white zero, red positive, full red at {b} and above (full blue at −{b} and below; 99.5% of the responses are within). ReLU keeps only the red; max-pooling keeps the strongest response in each window.":
        '이 커널의 가중치 합은 거의 0입니다. 출력은 그림이 아니라 부호 있는 반응입니다. 파랑은 음수, 흰색은 0, 빨강은 양수이며 {b} 이상은 가장 진한 빨강입니다(−{b} 이하는 가장 진한 파랑이고, 반응의 99.5%가 그 안에 있습니다). ReLU는 빨강만 남기고, 맥스 풀링은 각 창에서 가장 강한 반응을 남깁니다.',
    'Look closer':
        '자세히 보기',
    'Where the window is (orange frame)':
        '창의 위치(주황색 틀)',
    'Kernel as applied: flipped (convolution)':
        '적용된 커널: 뒤집힘(합성곱)',
    'About this view':
        '이 화면에 대하여',
    'Scene size (pixels)':
        '장면 크기(픽셀)',
    '800×800 is the input size of the Faster R-CNN paper: 22,500 anchors at stride 16.':
        '800×800은 Faster R-CNN 논문의 입력 크기입니다: 스트라이드 16에서 앵커 22,500개.',
    "The image is shown at {w}×{h}; the annotation is for {W}×{H}. Boxes are drawn scaled by {s}; the coordinates in the tables are the file's own pixels.":
        '이미지는 {w}×{h}(으)로 표시되며, 주석은 {W}×{H} 기준입니다. 상자는 {s}배로 축소해 그리고, 표의 좌표는 파일 자체의 픽셀입니다.',
    'All {n} anchors of this {w}×{h} image, drawn at once':
        '이 {w}×{h} 이미지의 앵커 {n}개 전체를 한꺼번에 그림',
    '{n} anchors are too many to draw at once (at most {m}); pick a larger stride or fewer ratios and scales.':
        '앵커 {n}개는 한꺼번에 그리기에 너무 많습니다(최대 {m}개). 스트라이드를 키우거나 비율과 크기를 줄여 보세요.',
    'Look closer: hover an output pixel to see its window and multiply-adds':
        '더 가까이: 출력 픽셀에 마우스를 올리면 그 창과 곱셈-덧셈이 보입니다',
    'Closer look: first row':
        '가까이 보기: 첫 행',
    'Closer look: first column':
        '가까이 보기: 첫 열',
    'Output rows {r0}–{r1}, columns {c0}–{c1}':
        '출력 행 {r0}–{r1}, 열 {c0}–{c1}',
    'Reading the file…':
        '파일을 읽는 중…',
    'That change to the grid was not an edit of its cells; keeping the last valid kernel.':
        '표에 들어온 변경이 칸을 고친 것이 아니므로 마지막으로 올바른 커널을 그대로 씁니다.',
    'Network':
        '신경망',
    'Train the small CNN here':
        '여기서 작은 CNN 학습하기',
    'Open your own (.keras)':
        '내 모델 열기 (.keras)',
    'First-layer kernels':
        '첫 층의 커널',
    'An image through it':
        '이미지 하나가 지나가는 모습',
    '0 to 1':
        '0부터 1까지',
    "−1 to 1 (a DCGAN's discriminator)":
        '−1부터 1까지 (DCGAN의 판별자)',
    '0 to 255':
        '0부터 255까지',
    'Your model (.keras)':
        '내 모델 (.keras)',
    "Upload a Keras 3 model saved with `model.save('name.keras')`: an image classifier, an encoder or a discriminator, one chain of layers. ConvLab reads its layers and weights without running any of its code. The file stays in your browser session and is not part of shared links.":
        "`model.save('name.keras')`로 저장한 Keras 3 모델을 올리세요. 이미지 분류기, 인코더, 판별자처럼 층이 한 줄로 이어진 모델이면 됩니다. ConvLab은 모델의 코드를 하나도 실행하지 않고 층과 가중치를 읽습니다. 파일은 브라우저 세션에만 남고 공유 링크에는 들어가지 않습니다.",
    '**{name}**: {n} layers, **{params} parameters**, takes {h}×{w} images with {c} channel(s).':
        '**{name}**: 층 {n}개, **매개변수 {params}개**, 채널 {c}개인 {h}×{w} 이미지를 받습니다.',
    "**{total} parameters** in all: the same table as Keras' `model.summary()`. A Conv2D layer has kh·kw·C_in·filters weights plus one bias per filter; a Dense layer inputs·units plus units; BatchNormalization four numbers per channel.":
        '모두 **매개변수 {total}개**: Keras의 `model.summary()`와 같은 표입니다. Conv2D 층은 kh·kw·C_in·filters개의 가중치에 필터마다 편향 하나, Dense 층은 inputs·units개에 units개, BatchNormalization은 채널마다 수 네 개입니다.',
    'This model has no Conv2D layer.':
        '이 모델에는 Conv2D 층이 없습니다.',
    '**Layer {name}**: {f} kernels of {kh}×{kw}, each summed over the {c} input channel(s) (how it responds to brightness).':
        '**층 {name}**: {kh}×{kw} 커널 {f}개, 각각 입력 채널 {c}개에 걸쳐 더한 값입니다(밝기에 어떻게 반응하는지).',
    'The hand-made presets are 3×3, so these {kh}×{kw} kernels are shown on their own.':
        '손으로 만든 프리셋은 3×3이므로 이 {kh}×{kw} 커널은 따로 보여 줍니다.',
    'Kernel to open':
        '열 커널',
    'The Kernels lesson takes kernels up to {n}×{n}.':
        '커널 수업은 최대 {n}×{n} 커널을 받습니다.',
    'The model expects input values from':
        '모델이 기대하는 입력 값의 범위',
    'Input, {h}×{w}':
        '입력, {h}×{w}',
    'Class scores (softmax): predicts {p} ({c})':
        '클래스 점수(소프트맥스): {p} 예측 ({c})',
    '**Output**: {values}':
        '**출력**: {values}',
    "Each layer's first {n} channels, computed by ConvLab's NumPy engine from the file's weights (the tests check it against Keras, layer by layer). Red is positive, blue negative; maps with no negative values are grey.":
        '층마다 처음 {n}개 채널이며, 파일의 가중치로 ConvLab의 NumPy 엔진이 계산했습니다(테스트가 층마다 Keras와 비교합니다). 빨강은 양수, 파랑은 음수이고, 음수가 없는 맵은 회색입니다.',
    'A network trained elsewhere, opened from its .keras file: its layers, its first convolution\'s kernels beside the hand-made ones of the Kernels lesson, and a picture through every layer.':
        '다른 곳에서 학습해 .keras 파일로 연 신경망입니다. 층, 첫 합성곱의 커널과 커널 수업의 손으로 만든 커널 비교, 모든 층을 지나는 그림을 보여 줍니다.',
}
