"""Korean for the engine's messages (errors, training status). Keys are the engine's message templates with
each value as {} (tests/app/test_i18n.py extracts them from engine/ with ast and fails on a missing one);
the Korean side numbers the values ({0}, {1}, ...) because Korean puts them in another order."""

KO_MESSAGES = {
    # engine/own_model.py: a student's own .keras file
    "Unknown activation {}.": "알 수 없는 활성화 함수 {0}입니다.",
    "One image through this model makes {} values in its layers' outputs; this view keeps at most {}.":
        "이미지 하나가 이 모델을 지나면 층 출력 값이 {0}개 생깁니다. 이 보기는 최대 {1}개까지 둡니다.",
    "{} in the model file declares {} uncompressed; the limit is {}.": "모델 파일의 {0}은(는) 압축을 풀면 {1}라고 선언합니다. 한도는 {2}입니다.",
    "{} in the model file expands past {}.": "모델 파일의 {0}은(는) 압축을 풀면 {1}을(를) 넘습니다.",
    "The file's config.json does not describe a Keras Sequential or Functional model.": "파일의 config.json이 Keras Sequential 또는 Functional 모델을 설명하지 않습니다.",
    "The model is a custom class ({}): its code would have to run, and ConvLab runs no code from a file.": "이 모델은 사용자 정의 클래스({0})입니다. 그 코드를 실행해야 하는데, ConvLab은 파일에 든 코드를 실행하지 않습니다.",
    "The model's config.json lists no layers.": "모델의 config.json에 층이 하나도 없습니다.",
    "The model has {} layers; this view follows at most {}.": "모델에 층이 {0}개 있습니다. 이 보기는 최대 {1}개까지 따라갑니다.",
    "The model has no layers after its input.": "모델의 입력 뒤에 층이 없습니다.",
    "The model has {} parameters; this view reads at most {}.": "모델의 매개변수가 {0}개입니다. 이 보기는 최대 {1}개까지 읽습니다.",
    "A layer in config.json is not a Keras layer description.": "config.json의 한 층이 Keras 층 설명이 아닙니다.",
    "A layer in config.json has no class or no name.": "config.json의 한 층에 클래스나 이름이 없습니다.",
    "Layer {} is a Lambda layer, which is Python code: ConvLab runs no code from a file. Replace it with built-in layers and save the model again.":
        "층 {0}은(는) 파이썬 코드인 Lambda 층입니다. ConvLab은 파일에 든 코드를 실행하지 않습니다. 기본 제공 층으로 바꾸고 모델을 다시 저장하세요.",
    "Layer {} is a whole model inside the model; this view follows one chain of layers. Save the inner model on its own.":
        "층 {0}은(는) 모델 안에 들어 있는 모델 전체입니다. 이 보기는 한 줄로 이어진 층만 따라갑니다. 안쪽 모델을 따로 저장하세요.",
    "Layer {} is a custom layer ({}): its code would have to run, and ConvLab runs no code from a file.":
        "층 {0}은(는) 사용자 정의 층({1})입니다. 그 코드를 실행해야 하는데, ConvLab은 파일에 든 코드를 실행하지 않습니다.",
    "Layer {} is a {} layer, which this view does not follow. It follows {}.": "층 {0}은(는) {1} 층이어서 이 보기가 따라가지 않습니다. 따라가는 층: {2}.",
    "This view follows models that are one chain of layers, ending in the last one.": "이 보기는 층이 한 줄로 이어지고 마지막 층에서 끝나는 모델만 따라갑니다.",
    "The model takes input of shape {}; this view needs images, (height, width, channels).": "모델의 입력 모양은 {0}입니다. 이 보기에는 이미지(높이, 너비, 채널)가 필요합니다.",
    "The model takes {}x{} images with {} channels; this view takes up to {}x{} pixels with 1 or 3 channels.":
        "모델은 채널 {2}개인 {0}×{1} 이미지를 받습니다. 이 보기는 채널 1개나 3개인 최대 {3}×{4} 픽셀 이미지를 받습니다.",
    "The model's {} is {}; expected two whole numbers from {} to 64.": "모델의 {0}이(가) {1}입니다. {2}부터 64까지의 정수 두 개여야 합니다.",
    "The activation {} is not one this view computes ({}).": "활성화 함수 {0}은(는) 이 보기가 계산하는 것({1})이 아닙니다.",
    "The model's {} is {}; expected a number from {} to {}.": "모델의 {0}이(가) {1}입니다. {2}부터 {3}까지의 수여야 합니다.",
    "The model stores images channels-first; this view follows channels-last models.": "모델이 이미지를 채널 우선(channels-first)으로 저장합니다. 이 보기는 채널 마지막(channels-last) 모델을 따라갑니다.",
    "Layer {} ({}) needs an image-shaped input, but gets {}.": "층 {0}({1})에는 이미지 모양의 입력이 필요하지만 {2}을(를) 받습니다.",
    "The model takes images of shape {}, got {}.": "모델은 모양 {0}의 이미지를 받는데, 받은 것은 {1}입니다.",
    "One image through this model costs {} multiply-adds; this view runs at most {}.": "이미지 하나가 이 모델을 지나는 데 곱셈-덧셈이 {0}번 듭니다. 이 보기는 최대 {1}번까지 실행합니다.",
    "This is not a Keras 3 model file: it has no {} (save the model with model.save('name.keras')).":
        "Keras 3 모델 파일이 아닙니다. {0}이(가) 없습니다(model.save('name.keras')로 모델을 저장하세요).",
    "This is not a Keras 3 model file: it holds {} files (a .keras file holds 3).": "Keras 3 모델 파일이 아닙니다. 파일이 {0}개 들어 있습니다(.keras 파일에는 3개가 들어 있습니다).",
    "This is not a Keras 3 model file (a .keras file is a zip of config.json and model.weights.h5); an older .h5 model can be saved again as .keras.":
        "Keras 3 모델 파일이 아닙니다(.keras 파일은 config.json과 model.weights.h5를 담은 zip입니다). 예전 .h5 모델은 .keras로 다시 저장할 수 있습니다.",
    "The model's config.json is nested more deeply than any model needs.": "모델의 config.json이 어떤 모델에도 필요 없을 만큼 깊게 중첩되어 있습니다.",
    "The model's config.json is not valid JSON.": "모델의 config.json이 올바른 JSON이 아닙니다.",
    "Two layers are named {}.": "두 층의 이름이 모두 {0}입니다.",
    "This view follows models that are one chain of layers; layer {} does not take its input from the layer before it ({}).":
        "이 보기는 층이 한 줄로 이어진 모델만 따라갑니다. 층 {0}은(는) 바로 앞 층({1})에서 입력을 받지 않습니다.",
    "The model's padding is {}; expected valid or same.": "모델의 패딩이 {0}입니다. valid 또는 same이어야 합니다.",
    "Layer {} uses grouped, dilated-transposed or output-padded convolution, which this view does not compute.":
        "층 {0}은(는) 그룹 합성곱, 팽창 전치 합성곱 또는 출력 패딩을 쓰는데, 이 보기는 이를 계산하지 않습니다.",
    "Layer {} leaves no pixels of its {}x{} input.": "층 {0}을(를) 지나면 {1}×{2} 입력에서 픽셀이 하나도 남지 않습니다.",
    "Layer {} makes {}x{} maps; this view follows maps up to {} pixels a side.": "층 {0}은(는) {1}×{2} 맵을 만듭니다. 이 보기는 한 변이 최대 {3}픽셀인 맵까지 따라갑니다.",
    "The model reshapes to {}, which this view does not follow.": "모델이 모양을 {0}(으)로 바꾸는데, 이 보기는 이를 따라가지 않습니다.",
    "Layer {} reshapes {} values to {}.": "층 {0}은(는) 값 {1}개를 {2} 모양으로 바꿉니다.",
    "The model's weights (model.weights.h5) cannot be read as HDF5.": "모델의 가중치(model.weights.h5)를 HDF5로 읽을 수 없습니다.",
    "A BatchNormalization over axis {} is not one this view computes.": "축 {0}에 대한 BatchNormalization은 이 보기가 계산하지 않습니다.",
    "The weights file has no weights for layer {} (looked for {}).": "가중치 파일에 층 {0}의 가중치가 없습니다({1}에서 찾았습니다).",
    "Weight {} of layer {} has shape {} in the file; the layer's settings make it {}.": "층 {1}의 가중치 {0}은(는) 파일에서 모양이 {2}인데, 층 설정대로라면 {3}이어야 합니다.",
    "The weights of layer {} hold NaN or infinite values.": "층 {0}의 가중치에 NaN이나 무한대 값이 있습니다.",
    "Global pooling that keeps its axes is not one this view computes.": "축을 유지하는 전역 풀링은 이 보기가 계산하지 않습니다.",
    "A softmax over axis {} is not one this view computes.": "축 {0}에 대한 소프트맥스는 이 보기가 계산하지 않습니다.",
    "UpSampling2D with {} interpolation is not one this view computes (nearest is).": "{0} 보간을 쓰는 UpSampling2D는 이 보기가 계산하지 않습니다(nearest는 계산합니다).",
    "The model's zero padding is {}; expected up to 64 rows and columns on each side.": "모델의 0 패딩이 {0}입니다. 각 쪽에 최대 64행·열이어야 합니다.",
    # engine/images.py: structure checked before decoding; engine/bounded.py: the reader's budgets
    "The PNG file holds more than {} chunks; real images hold a few thousand at most, so it is refused unread.":
        "PNG 파일에 청크가 {0}개보다 많습니다. 실제 이미지에는 많아야 수천 개뿐이므로 읽지 않고 거부했습니다.",
    "The JPEG file holds more than {} marker segments; real photographs hold a few dozen, so it is refused unread.":
        "JPEG 파일에 마커 세그먼트가 {0}개보다 많습니다. 실제 사진에는 수십 개뿐이므로 읽지 않고 거부했습니다.",
    "The JPEG file holds more than {} fill bytes between its segments; real photographs hold a few, so it is refused unread.":
        "JPEG 파일의 세그먼트 사이에 채움 바이트가 {0}개보다 많습니다. 실제 사진에는 몇 개뿐이므로 읽지 않고 거부했습니다.",
    "The GIF file holds more than {} extension blocks before its first frame; real images hold a few, so it is refused unread.":
        "GIF 파일의 첫 프레임 앞에 확장 블록이 {0}개보다 많습니다. 실제 이미지에는 몇 개뿐이므로 읽지 않고 거부했습니다.",
    "The WebP file holds more than {} chunks; real images hold a few, so it is refused unread.":
        "WebP 파일에 청크가 {0}개보다 많습니다. 실제 이미지에는 몇 개뿐이므로 읽지 않고 거부했습니다.",
    "The JPEG file holds more than {} scans (progressive passes); real photographs hold about 10, and each one costs a pass over the whole image, so it is refused unread.":
        "JPEG 파일에 스캔(점진적 패스)이 {0}개보다 많습니다. 실제 사진에는 10개 정도이고 스캔마다 이미지 전체를 한 번씩 다시 처리하므로 읽지 않고 거부했습니다.",
    "Decoding this {}x{} WebP image would take about {} MB of memory (WebP is decoded at full size); the limit is {} MB.":
        "이 {0}×{1} WebP 이미지를 디코딩하려면 메모리가 약 {2} MB 필요합니다(WebP는 원래 크기로 디코딩됩니다). 한도는 {3} MB입니다.",
    "Reading this file took more than {} s, so it was stopped and refused (a file built to be slow to decode, or too much to read here).":
        "이 파일을 읽는 데 {0}초 넘게 걸려 중단하고 거부했습니다(일부러 느리게 디코딩되도록 만든 파일이거나 여기서 읽기에는 너무 많은 데이터입니다).",
    "Reading this file stopped the reader (it needed more than {} MB of memory, or the file is damaged in a way the decoder cannot survive).":
        "이 파일을 읽다가 읽기 프로세스가 멈췄습니다(메모리가 {0} MB보다 많이 필요했거나, 디코더가 견딜 수 없을 만큼 파일이 손상되었습니다).",
    "The server is busy reading other students' files; try again in a minute.":
        "서버가 다른 학생들의 파일을 읽느라 바쁩니다. 잠시 뒤에 다시 해 보세요.",
    "Reading this file needed more than {} MB of memory, so it was stopped and refused.":
        "이 파일을 읽는 데 메모리가 {0} MB보다 많이 필요해 중단하고 거부했습니다.",
    # engine/data.py: bytes bounded as well as values
    "{} declares shape {} of {}-byte values: {}; the limit is {}.":
        "{0}이(가) {2}바이트 값으로 된 모양 {1}을(를) 선언합니다: {3}. 한도는 {4}입니다.",
    "Array {} in the .npz is cut short: its header promises more data than it holds.":
        ".npz의 배열 {0}이(가) 중간에 끊겼습니다. 헤더가 약속한 것보다 데이터가 적습니다.",
    "Every value in the images is {}: with no contrast there is nothing to learn, and the images cannot be brought to [0, 1].":
        "이미지의 모든 값이 {0}입니다. 명암 차이가 없어 배울 것이 없고, 이미지를 [0, 1] 범위로 옮길 수도 없습니다.",
    "{} in the .zip: {}": ".zip 안의 {0}: {1}",
    "The file holds {} values where its header promises {}.": "헤더는 값 {1}개를 약속하지만 파일에는 {0}개가 있습니다.",
    "The images in the .zip decode to more than {} values in all.":
        ".zip의 이미지를 모두 디코딩하면 값이 모두 {0}개를 넘습니다.",
    # engine/checks.py, conv.py
    "TensorFlow's conv2d only knows 'valid' and 'same' padding.": "TensorFlow의 conv2d는 'valid'와 'same' 패딩만 지원합니다.",
    "The reference takes 'valid', 'same', 'full' or one integer padding.": "기준 계산은 'valid', 'same', 'full' 또는 정수 하나의 패딩만 받습니다.",
    "boundary {} has no reference rule.": "경계 모드 {0}에는 기준 규칙이 없습니다.",
    "tf.nn.conv2d does not combine stride > 1 with dilation > 1 on the CPU.": "CPU의 tf.nn.conv2d는 스트라이드 > 1과 팽창 > 1을 함께 쓸 수 없습니다.",
    "padding {} is not one of valid, same, full, an integer or (top, bottom, left, right).": "패딩 {0}은(는) valid, same, full, 정수, (위, 아래, 왼쪽, 오른쪽) 중 하나가 아닙니다.",
    "{} must be an integer, got {}.": "{0}은(는) 정수여야 합니다. 받은 값: {1}.",
    "{} must be at least {}, got {}.": "{0}은(는) {1} 이상이어야 합니다. 받은 값: {2}.",
    "boundary {} is not one of {}.": "경계 모드 {0}은(는) {1} 중 하나가 아닙니다.",
    "{} contains NaN or infinite values; all values must be finite numbers.": "{0}에 NaN 또는 무한대 값이 있습니다. 모든 값은 유한한 수여야 합니다.",
    "image must be (H, W) or (H, W, C) and non-empty, got shape {}.": "이미지는 비어 있지 않은 (H, W) 또는 (H, W, C)여야 합니다. 받은 모양: {0}.",
    "kernel must be (kh, kw) or a bank (kh, kw, C_in, C_out), got shape {}.": "커널은 (kh, kw) 또는 필터 묶음 (kh, kw, C_in, C_out)이어야 합니다. 받은 모양: {0}.",
    "The kernel covers {}x{} pixels (size {}x{}, dilation {}x{}) but the padded input is only {}x{}; the kernel must fit inside the padded input.":
        "커널이 {0}×{1} 픽셀을 덮지만(크기 {2}×{3}, 팽창 {4}×{5}) 패딩한 입력은 {6}×{7}뿐입니다. 커널은 패딩한 입력 안에 들어가야 합니다.",
    "pooling expects (H, W) or (H, W, C), got shape {}.": "풀링에는 (H, W) 또는 (H, W, C)가 필요합니다. 받은 모양: {0}.",
    "pool padding must be 'valid' or 'same', got {}.": "풀링 패딩은 'valid' 또는 'same'이어야 합니다. 받은 값: {0}.",
    "Pool window {}x{} is larger than the input {}x{}.": "풀링 창 {0}×{1}이(가) 입력 {2}×{3}보다 큽니다.",
    "A {}x{} kernel (dilation {}) does not fit a {}x{} input with padding {}.": "{0}×{1} 커널(팽창 {2})은 패딩 {5}인 {3}×{4} 입력에 들어가지 않습니다.",
    "The step-by-step view takes a 2-D (grayscale) matrix, got shape {}.": "단계별 보기는 2차원(흑백) 행렬을 받습니다. 받은 모양: {0}.",
    "The step-by-step view is for small matrices (at most {} cells), got {}.": "단계별 보기는 작은 행렬(최대 {0}칸)용입니다. 받은 칸 수: {1}.",
    "{} must be one integer or a pair, got {}.": "{0}은(는) 정수 하나 또는 한 쌍이어야 합니다. 받은 값: {1}.",
    "The filter bank expects {} input channels but the image has {}.": "필터 묶음은 입력 채널 {0}개를 기대하지만 이미지는 {1}개입니다.",
    "step {} is outside 0..{}.": "단계 {0}이(가) 0..{1} 범위를 벗어났습니다.",
    # engine/data.py
    "{} did not download within {} s: training on the bundled 10,000 MNIST test digits instead.":
        "{0}이(가) {1}초 안에 내려받아지지 않아, 함께 배포된 MNIST 테스트 숫자 10,000개로 대신 학습합니다.",
    "Offline: {} could not be downloaded, so this trains on the bundled 10,000 MNIST test digits.":
        "오프라인: {0}을(를) 내려받을 수 없어, 함께 배포된 MNIST 테스트 숫자 10,000개로 학습합니다.",
    "Unknown dataset {}; choose one of {}.": "알 수 없는 데이터셋 {0}. 다음 중에서 고르세요: {1}.",
    "Not an IDX file: it must start with two zero bytes.": "IDX 파일이 아닙니다. 0 바이트 두 개로 시작해야 합니다.",
    "Unknown IDX data type 0x{}.": "알 수 없는 IDX 데이터 형식 0x{0}.",
    "IDX header claims {} dimensions; expected 1 to 4.": "IDX 헤더가 {0}차원이라고 합니다. 1~4차원이어야 합니다.",
    "IDX header promises {} bytes of data for shape {}, file has {}.": "IDX 헤더는 모양 {1}에 {0}바이트를 약속하지만 파일에는 {2}바이트가 있습니다.",
    "The file is empty.": "파일이 비어 있습니다.",
    "Images must be (N, H, W) or (N, H, W, 1 or 3) with 8 <= H, W <= 64; got {}.": "이미지는 8 <= H, W <= 64인 (N, H, W) 또는 (N, H, W, 1 또는 3)이어야 합니다. 받은 모양: {0}.",
    "Need between 20 and {} images, got {}.": "이미지가 20~{0}장 필요합니다. 받은 수: {1}.",
    "The images contain NaN or infinite values.": "이미지에 NaN 또는 무한대 값이 있습니다.",
    "The .zip contains no PNG/JPEG/BMP/GIF/WebP images.": ".zip에 PNG/JPEG/BMP/GIF/WebP 이미지가 없습니다.",
    "The .zip holds {} images; the limit is {}.": ".zip에 이미지가 {0}장 있습니다. 한도는 {1}장입니다.",
    "None of the images in the .zip could be read.": ".zip 안의 이미지를 하나도 읽을 수 없었습니다.",
    "Cannot read the .npz file ({}).": ".npz 파일을 읽을 수 없습니다({0}).",
    "The .zip file is damaged or not a zip archive.": ".zip 파일이 손상되었거나 zip 압축 파일이 아닙니다.",
    "The gzip file is damaged: its compressed data or checksum is wrong.": "gzip 파일이 손상되었습니다. 압축 데이터나 체크섬이 잘못되었습니다.",
    "The gzip file is cut short: its end (checksum and length) is missing.": "gzip 파일이 중간에 끊겼습니다. 끝부분(체크섬과 길이)이 없습니다.",
    "The IDX header is cut short.": "IDX 헤더가 중간에 끊겼습니다.",
    "The .npz needs an array named x_train, x or images; it has {}.": ".npz에는 x_train, x 또는 images라는 배열이 있어야 합니다. 들어 있는 배열: {0}.",
    # engine/deconv.py
    "motion blur length must be between 1 and 7, got {}.": "모션 블러 길이는 1~7이어야 합니다. 받은 값: {0}.",
    "The blur kernel {} is larger than the image {}.": "블러 커널 {0}이(가) 이미지 {1}보다 큽니다.",
    "noise_sigma must be a finite number >= 0, got {}.": "noise_sigma는 0 이상의 유한한 수여야 합니다. 받은 값: {0}.",
    "nsr must be a finite number >= 0, got {}.": "nsr은 0 이상의 유한한 수여야 합니다. 받은 값: {0}.",
    "iterations must be between 1 and 1000, got {}.": "반복 횟수는 1~1000이어야 합니다. 받은 값: {0}.",
    "PSNR needs equal shapes, got {} and {}.": "PSNR에는 같은 모양이 필요합니다. 받은 모양: {0}, {1}.",
    # engine/detection
    "stride must be at least 1, got {}.": "스트라이드는 1 이상이어야 합니다. 받은 값: {0}.",
    "ratios and scales must be non-empty lists of positive numbers.": "비율과 크기는 양수로 된 비어 있지 않은 목록이어야 합니다.",
    "The image ({}x{}) must be at least one stride ({}) wide.": "이미지({0}×{1})는 적어도 스트라이드 하나({2})만큼 넓어야 합니다.",
    "Need 0 <= negative ({}) <= positive ({}) <= 1.": "0 <= 음성 기준({0}) <= 양성 기준({1}) <= 1이어야 합니다.",
    "Boxes must hold finite numbers.": "박스에는 유한한 수가 있어야 합니다.",
    "Boxes and anchors need positive width and height to be encoded.": "박스와 앵커를 인코딩하려면 너비와 높이가 양수여야 합니다.",
    "{} boxes but {} scores.": "박스는 {0}개인데 점수는 {1}개입니다.",
    "iou_threshold must be between 0 and 1, got {}.": "iou_threshold는 0과 1 사이여야 합니다. 받은 값: {0}.",
    "Scene index must be between 0 and {}, got {}.": "장면 번호는 0~{0}이어야 합니다. 받은 값: {1}.",
    "<{}> of {} is {}; coordinates must be finite.": "{1}의 <{0}> 값이 {2}입니다. 좌표는 유한해야 합니다.",
    "The annotation file is empty.": "주석 파일이 비어 있습니다.",
    "The annotation is larger than {} kB; VOC files are a few kB.": "주석이 {0} kB보다 큽니다. VOC 파일은 몇 kB입니다.",
    "The root element is <{}>, expected <annotation>.": "루트 요소가 <{0}>입니다. <annotation>이어야 합니다.",
    "Missing <size> in the annotation.": "주석에 <size>가 없습니다.",
    "Image size {}x{} must be positive.": "이미지 크기 {0}×{1}은(는) 양수여야 합니다.",
    "Missing <{}> in the annotation.": "주석에 <{0}>가 없습니다.",
    "<{}> of {} is {}, not a number.": "{1}의 <{0}> 값 {2}은(는) 숫자가 아닙니다.",
    "Refused unsafe XML ({}): DTDs, entities and external references are not allowed in annotations.":
        "안전하지 않은 XML을 거부했습니다({0}). 주석에는 DTD, 엔터티, 외부 참조를 쓸 수 없습니다.",
    "The annotation is not well-formed XML: {}.": "주석이 올바른 형식의 XML이 아닙니다: {0}.",
    "Missing <bndbox> in {}.": "{0}에 <bndbox>가 없습니다.",
    "{} has an inverted or empty box: xmin={}, xmax={}, ymin={}, ymax={}.": "{0}의 박스가 뒤집혔거나 비어 있습니다: xmin={1}, xmax={2}, ymin={3}, ymax={4}.",
    "{} lies entirely outside the {}x{} image.": "{0}이(가) {1}×{2} 이미지 밖에 완전히 있습니다.",
    "S, B and C must be positive, got S={}, B={}, C={}.": "S, B, C는 양수여야 합니다. 받은 값: S={0}, B={1}, C={2}.",
    "{} boxes but {} class ids.": "박스는 {0}개인데 클래스 번호는 {1}개입니다.",
    "class ids must be in 0..{}.": "클래스 번호는 0..{0} 범위여야 합니다.",
    "Expected a {}x{}x{} tensor, got {}.": "{0}×{1}×{2} 텐서가 필요합니다. 받은 모양: {3}.",
    "pred and target must both be {}x{}x{}, got {} and {}.": "pred와 target은 모두 {0}×{1}×{2}여야 합니다. 받은 모양: {3}, {4}.",
    # engine/images.py
    "Cannot read an image from a {}.": "{0}에서 이미지를 읽을 수 없습니다.",
    "Expected an (H, W) or (H, W, 3) image, got shape {}.": "(H, W) 또는 (H, W, 3) 이미지가 필요합니다. 받은 모양: {0}.",
    "The file is empty (0 bytes), so there is no image to load.": "파일이 비어 있어(0바이트) 불러올 이미지가 없습니다.",
    "max_side must be at least 1, got {}.": "max_side는 1 이상이어야 합니다. 받은 값: {0}.",
    "Unknown sample image {}; choose one of {}.": "알 수 없는 예제 이미지 {0}. 다음 중에서 고르세요: {1}.",
    "Sample size must be between 8 and 2048 pixels, got {}.": "예제 크기는 8~2048 픽셀이어야 합니다. 받은 값: {0}.",
    "Refused as a possible decompression bomb: {}": "압축 폭탄일 수 있어 거부했습니다: {0}",
    "This file is not an image ConvLab can read (PNG, JPEG, GIF, BMP, WebP or TIFF): {}.":
        "ConvLab이 읽을 수 있는 이미지(PNG, JPEG, GIF, BMP, WebP, TIFF)가 아닙니다: {0}.",
    "No image file at {}.": "{0}에 이미지 파일이 없습니다.",
    "The image claims {}x{} pixels ({} MP); more than {} MP is refused as a possible decompression bomb.":
        "이미지가 {0}×{1} 픽셀({2} MP)이라고 합니다. {3} MP를 넘으면 압축 폭탄일 수 있어 거부합니다.",
    # engine/kernels.py
    "Unknown kernel {}; choose one of {}.": "알 수 없는 커널 {0}. 다음 중에서 고르세요: {1}.",
    "Gaussian size must be between 1 and {}, got {}.": "가우시안 크기는 1~{0}이어야 합니다. 받은 값: {1}.",
    "Gaussian sigma must be a positive number, got {}.": "가우시안 시그마는 양수여야 합니다. 받은 값: {0}.",
    "Random kernel size must be between 1 and {}, got {}.": "무작위 커널 크기는 1~{0}이어야 합니다. 받은 값: {1}.",
    "A grid of numbers needs at least one row and one column.": "숫자 격자에는 적어도 한 행과 한 열이 있어야 합니다.",
    "The grid is {}x{}; each side must be between 1 and {}.": "격자가 {0}×{1}입니다. 각 변은 1~{2}이어야 합니다.",
    "The number {} is too large; keep numbers within ±1,000,000.": "숫자 {0}이(가) 너무 큽니다. 숫자는 ±1,000,000 안에서 쓰세요.",
    "Cell ({}, {}) holds {}, not a number.": "칸 ({0}, {1})의 {2}은(는) 숫자가 아닙니다.",
    "Cell ({}, {}) holds {}; cells must hold finite numbers (no NaN or inf).": "칸 ({0}, {1})의 값이 {2}입니다. 칸에는 유한한 수만 쓸 수 있습니다(NaN, inf 불가).",
    "An empty text has no numbers.": "빈 텍스트에는 숫자가 없습니다.",
    "The text of numbers is too long.": "숫자 텍스트가 너무 깁니다.",
    "{} must be one of {}": "{0}은(는) {1} 중 하나여야 합니다",
    "{} must be between {} and {}": "{0}은(는) {1}부터 {2}까지여야 합니다",
    "{} must be 0 (off) or between {} and {}": "{0}은(는) 0(끄기)이거나 {1}부터 {2}까지여야 합니다",
    "The IoU calculator takes one box each for A and B.": "IoU 계산기는 A와 B에 상자를 하나씩 받습니다.",
    "Box {} has xmax < xmin or ymax < ymin; give its top-left corner first.": "상자 {0}의 xmax가 xmin보다 작거나 ymax가 ymin보다 작습니다. 왼쪽 위 꼭짓점을 먼저 쓰세요.",
    "A grid must be a list of rows of numbers, got {}.": "격자는 숫자 행의 목록이어야 합니다. 받은 값: {0}.",
    "Row {} has {} numbers but row 1 has {}; a grid must be rectangular.": "{0}행에는 숫자가 {1}개인데 1행에는 {2}개입니다. 격자는 직사각형이어야 합니다.",
    "Cell ({}, {}) holds {}, which is not a number.": "칸 ({0}, {1})의 {2}은(는) 숫자가 아닙니다.",
    # engine/models.py, training.py
    "Images must be (H, W, 1 or 3) with H and W divisible by 4, got {}.": "이미지는 H와 W가 4로 나누어지는 (H, W, 1 또는 3)이어야 합니다. 받은 모양: {0}.",
    "decoder must be 'upsampling' or 'transpose', got {}.": "디코더는 'upsampling' 또는 'transpose'여야 합니다. 받은 값: {0}.",
    "preset must be one of {}, got {}.": "프리셋은 {0} 중 하나여야 합니다. 받은 값: {1}.",
    "width must be between 0.05 and 4, got {}.": "너비 배수는 0.05~4여야 합니다. 받은 값: {0}.",
    "Stopped.": "멈췄습니다.",
    "Latent decoding needs a VAE that has started training.": "잠재 공간 디코딩에는 학습을 시작한 VAE가 필요합니다.",
    "Train at least one step before exporting the model.": "모델을 내보내기 전에 적어도 한 단계 학습하세요.",
    "No samples yet: train a few steps first.": "아직 샘플이 없습니다. 먼저 몇 단계 학습하세요.",
    "Train at least one step first.": "먼저 적어도 한 단계 학습하세요.",
    "Invalid training setting: {}.": "잘못된 학습 설정: {0}.",
    "Finished after {} steps ({} epochs).": "{0}단계({1} 에포크) 후 끝났습니다.",
    "Stopped: the browser tab that started this training was closed.": "멈춤: 이 학습을 시작한 브라우저 탭이 닫혔습니다.",
    "Unknown step {}; choose one of {}.": "알 수 없는 단계 {0}. 다음 중에서 고르세요: {1}.",
    "Unknown GAN loss {}; choose one of {}.": "알 수 없는 GAN 손실 {0}. 다음 중에서 고르세요: {1}.",
    # engine/transpose.py
    "output_padding must be at least 0 and smaller than the stride ({}), got {}.": "output_padding은 0 이상이고 스트라이드({0})보다 작아야 합니다. 받은 값: {1}.",
    "output_padding={} with kernel {}, stride {} and padding '{}' gives an output of length {}, which a forward convolution would map to {}, not {}; TensorFlow rejects this combination. Try another output_padding or an odd kernel.":
        "커널 {1}, 스트라이드 {2}, 패딩 '{3}'에서 output_padding={0}이면 출력 길이가 {4}인데, 순방향 합성곱은 이를 {6}이(가) 아닌 {5}(으)로 보냅니다. TensorFlow는 이 조합을 거부합니다. 다른 output_padding이나 홀수 크기 커널을 써 보세요.",
    "padding must be 'valid', 'same' or a whole number from 0 to {} for transposed convolution, got {}.": "전치 합성곱의 패딩은 'valid', 'same' 또는 0부터 {0}까지의 정수여야 합니다. 받은 값: {1}.",
    "padding {} crops the whole output: (n − 1)·stride + k − 2·padding + output_padding = {}. Use a smaller padding.": "패딩 {0}은(는) 출력을 모두 잘라 냅니다: (n − 1)·stride + k − 2·padding + output_padding = {1}. 더 작은 패딩을 쓰세요.",
    "input must be (H, W) or (H, W, C), got shape {}.": "입력은 (H, W) 또는 (H, W, C)여야 합니다. 받은 모양: {0}.",
    "kernel must be (kh, kw) or (kh, kw, C_out, C_in), got shape {}.": "커널은 (kh, kw) 또는 (kh, kw, C_out, C_in)이어야 합니다. 받은 모양: {0}.",
    "input and kernel must hold finite numbers (no NaN or inf).": "입력과 커널에는 유한한 수가 있어야 합니다(NaN, inf 불가).",
    "kernel expects {} input channels, the input has {}.": "커널은 입력 채널 {0}개를 기대하지만 입력은 {1}개입니다.",
    "The zero-insertion view is shown for a single 2-D channel and a 2-D kernel.": "0 삽입 보기는 2차원 채널 하나와 2차원 커널에만 보여 줍니다.",
    "A {}x{} kernel does not fit a {}x{} input.": "{0}×{1} 커널은 {2}×{3} 입력에 들어가지 않습니다.",
    "The matrix view is for small inputs; {}x{} gives a {}x{} matrix.": "행렬 보기는 작은 입력용입니다. {0}×{1}이면 {2}×{3} 행렬이 됩니다.",
    "x has {} values but C has {} rows.": "x에는 값이 {0}개인데 C에는 행이 {1}개입니다.",
    "{} must be a short list of numbers such as 1,2,3": "{0}은(는) 1,2,3처럼 짧은 숫자 목록이어야 합니다",
    "{} needs 1 to {} numbers, got {}": "{0}에는 숫자가 1~{1}개 필요합니다. 받은 개수: {2}",
    "{} values must be finite and within ±{}": "{0}의 값은 유한하고 ±{1} 안이어야 합니다",
    "{} must contain only numbers separated by commas, e.g. 1,2,3": "{0}에는 쉼표로 구분한 숫자만 있어야 합니다(예: 1,2,3)",
    # bounded decoding, detection bounds, notes (engine/data.py, images.py, detection/)
    "{} declares shape {}: {} values; the limit is {}.": "{0}이(가) 모양 {1}을(를) 선언합니다: 값 {2}개. 한도는 {3}개입니다.",
    "The file is {}; the limit is {}.": "파일이 {0}입니다. 한도는 {1}입니다.",
    "The labels must be whole numbers; this file's labels are {}.": "레이블은 정수여야 합니다. 이 파일의 레이블은 {0}입니다.",
    "The labels have shape {}; {} images need one label each, shape ({},).":
        "레이블의 모양이 {0}입니다. 이미지 {1}장에는 이미지마다 레이블이 하나씩, 모양 ({2},)이 필요합니다.",
    "Labels must be whole numbers from 0 to {} (no NaN).": "레이블은 0부터 {0}까지의 정수여야 합니다(NaN 불가).",
    "Cannot read the .npz file (it holds Python objects, which are not loaded).":
        ".npz 파일을 읽을 수 없습니다(파이썬 객체가 들어 있으며, 이는 불러오지 않습니다).",
    "The {} must be numbers; this file's {} are {}.": "{0}은(는) 수여야 합니다. 이 파일의 {1}은(는) {2}입니다.",
    "The .zip expands to more than {}.": ".zip을 풀면 {0}이(가) 넘습니다.",
    "Values in [-1, 1] were mapped to [0, 1].": "[-1, 1] 범위의 값을 [0, 1]로 옮겼습니다.",
    "{} declares {} pixels; images in a dataset .zip may have at most {}.":
        "{0}이(가) 픽셀 {1}개를 선언합니다. 데이터셋 .zip의 이미지는 최대 {2}픽셀까지입니다.",
    "The images in the .zip declare more than {} pixels in all.": ".zip의 이미지들이 모두 합쳐 {0}픽셀이 넘는다고 선언합니다.",
    "{} of {} files could not be read as images and were skipped.": "파일 {1}개 중 {0}개는 이미지로 읽을 수 없어 건너뛰었습니다.",
    "{} of {} images had another size and were resized to {}x{}.":
        "이미지 {1}장 중 {0}장은 크기가 달라 {2}×{3}(으)로 크기를 바꿨습니다.",
    "Values from 0 to {} were read as 8-bit pixels and divided by 255.": "0부터 {0}까지의 값을 8비트 픽셀로 읽고 255로 나눴습니다.",
    "Values from {} to {} were stretched linearly to [0, 1].": "{0}부터 {1}까지의 값을 [0, 1]로 선형 변환했습니다.",
    "The .zip file is damaged: {} cannot be extracted (bad checksum or compressed data).":
        ".zip 파일이 손상되었습니다: {0}을(를) 풀 수 없습니다(체크섬 또는 압축 데이터 오류).",
    "{}x{} cells x {} anchors is {} anchors; the limit is {}. Use a larger stride or fewer ratios and scales.":
        "{0}×{1}칸 × 앵커 {2}개는 앵커 {3}개입니다. 한도는 {4}개입니다. 더 큰 스트라이드나 더 적은 비율과 크기를 쓰세요.",
    "{} x {} box pairs is too many to compare at once (at most {}).": "박스 쌍 {0} × {1}은(는) 한 번에 비교하기에 너무 많습니다(최대 {2}).",
    "Scores must be numbers (no NaN).": "점수는 수여야 합니다(NaN 불가).",
    "max_output must be a whole number >= 0, got {}.": "max_output은 0 이상의 정수여야 합니다. 받은 값: {0}.",
    "<{}> of {} is {}; coordinates must be within ±10,000,000.": "{1}의 <{0}>이(가) {2}입니다. 좌표는 ±10,000,000 이내여야 합니다.",
    "The annotation has {} objects; ConvLab shows at most {} (VOC images hold a few dozen at most).":
        "주석에 객체가 {0}개 있습니다. ConvLab은 최대 {1}개까지 보여 줍니다(VOC 이미지의 객체는 많아야 수십 개입니다).",
    "The annotation's text encoding cannot be read; save it as UTF-8.": "주석의 텍스트 인코딩을 읽을 수 없습니다. UTF-8로 저장하세요.",
    "object {}: its name was cut to {} characters.": "객체 {0}: 이름을 {1}자로 줄였습니다.",
    "{}: fractional coordinates rounded to whole pixels.": "{0}: 소수 좌표를 정수 픽셀로 반올림했습니다.",
    "{}: box {} clamped to the image: {}.": "{0}: 박스 {1}을(를) 이미지 안으로 잘랐습니다: {2}.",
    "{}: {} is not one of the 20 VOC classes.": "{0}: {1}은(는) VOC의 20개 클래스가 아닙니다.",
    "Two objects centre in cell ({}, {}); YOLO v1 keeps only the first.": "두 객체의 중심이 칸 ({0}, {1})에 있습니다. YOLO v1은 첫 번째만 남깁니다.",
    "The file is {}; images larger than {} are refused.": "파일이 {0}입니다. {1}보다 큰 이미지는 받지 않습니다.",
    "The image is {}x{} pixels (after fitting it into {}x{}); this view needs at least {} pixels on each side.":
        "이미지가 {0}×{1} 픽셀입니다({2}×{3}에 맞춘 뒤). 이 보기에는 각 변이 적어도 {4}픽셀이어야 합니다.",
    "This image could not be converted ({}).": "이 이미지를 변환할 수 없었습니다({0}).",
    "{} is larger than {}.": "{0}이(가) {1}보다 큽니다.",
    # engine/training.py divergence
    "The {} became {} at step {}: training diverged. The learning rate ({}) is probably too high; press Reset and try a smaller one.":
        "{2}단계에서 {0}이(가) {1}이(가) 되어 학습이 발산했습니다. 학습률({3})이 너무 높은 것 같습니다. 재설정을 누르고 더 작은 값을 써 보세요.",
    "The discriminator has won outright for {} steps (D loss {}, G loss {} at step {}): the generator no longer learns. Press Reset and try a smaller learning rate.":
        "판별자가 {0}단계 동안 완전히 이겼습니다({3}단계에서 D 손실 {1}, G 손실 {2}). 생성자가 더 이상 배우지 못합니다. 재설정을 누르고 더 작은 학습률을 써 보세요.",
    "Training failed: {}: {}": "학습 실패: {0}: {1}",
    # engine/worker.py: the training's worker process
    "The training's worker process did not answer within {} s and was stopped.":
        "학습 작업 프로세스가 {0}초 안에 응답하지 않아 멈췄습니다.",
    "The training's worker process was stopped by the system, most likely for lack of memory. Press Reset to start again.":
        "시스템이 학습 작업 프로세스를 멈췄습니다. 메모리가 부족했을 가능성이 큽니다. **초기화**를 눌러 다시 시작하세요.",
    "The training's worker process ended unexpectedly (exit code {}). Press Reset to start again.":
        "학습 작업 프로세스가 예기치 않게 끝났습니다(종료 코드 {0}). **초기화**를 눌러 다시 시작하세요.",
    "This run's model is no longer on the server. Press Reset to train again.":
        "이 학습의 모델이 더 이상 서버에 없습니다. **초기화**를 눌러 다시 학습하세요.",
    'The small CNN needs images of at least {}x{} pixels with 1 or 3 channels, got {}.': '작은 CNN에는 채널이 1개 또는 3개이고 최소 {0}x{1} 픽셀인 이미지가 필요합니다. 받은 것: {2}.',
    'A classifier needs between 2 and {} classes, got {}.': '분류기에는 클래스가 2개에서 {0}개 사이여야 합니다. 받은 수: {1}.',
    'size must be one of {}, got {}.': 'size는 {0} 중 하나여야 합니다. 받은 값: {1}.',
    "The image (shape {}) does not fit this network's layer {}.": '이미지(모양 {0})가 이 신경망의 {1} 층에 맞지 않습니다.',
    'Need one prediction per label: {} labels, {} predictions.': '레이블마다 예측이 하나씩 필요합니다: 레이블 {0}개, 예측 {1}개.',
    'Classes must be whole numbers from 0 to {}.': '클래스는 0부터 {0}까지의 정수여야 합니다.',
    "A classifier learns from labelled images, and this data set has no labels. Add a 'y' array (one whole number per image) to the file.": "분류기는 레이블이 있는 이미지로 배우는데, 이 데이터 세트에는 레이블이 없습니다. 파일에 'y' 배열(이미지마다 정수 하나)을 넣어 주세요.",
    'Test image {} is outside 0..{}.': '테스트 이미지 {0}은(는) 0..{1} 범위 밖입니다.',
    'The two masks must be 2-D and the same shape, got {} and {}.': '두 마스크는 같은 모양의 2차원 배열이어야 합니다. 받은 모양: {0}, {1}.',
    'Masks of {} pixels are too large (at most {}).': '픽셀 {0}개의 마스크는 너무 큽니다(최대 {1}개).',
    'Mask values must be whole class numbers from 0 to {}.': '마스크 값은 0부터 {0}까지의 정수 클래스 번호여야 합니다.',
    '{} must be a whole number from -{} to {}, got {}.': '{0}은(는) -{1}부터 {2}까지의 정수여야 합니다. 받은 값: {3}.',
    'Window terms take a 2-D (grayscale) image, got shape {}.': '창 항목은 2차원(회색조) 이미지만 받습니다. 받은 모양: {0}.',
    'At most {} output pixels at a time, got {}.': '한 번에 출력 픽셀은 최대 {0}개입니다. 받은 수: {1}.',
    'Output pixels must lie within the {}x{} output.': '출력 픽셀은 {0}x{1} 출력 안에 있어야 합니다.',
    'A window is looked for in a 2-D map, got shape {}.': '창은 2차원 맵에서만 찾습니다. 받은 모양: {0}.',
    'A {}x{} window does not fit a {}x{} map.': '{0}x{1} 창은 {2}x{3} 맵에 들어가지 않습니다.',
}
