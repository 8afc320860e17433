"""简体中文 catalog of nn's figures and widgets (see :mod:`nn.i18n`).

The words are those of the book's Chinese edition (《深度学习入门》, 人民邮电出版社) and of
``book/glossary.md``: 正向传播, mini-batch, 权值衰减, 识别精度, 损失函数, 梯度, 学习率, 权重,
偏置, epoch, 滤波器, 特征图, 填充, 步幅, Max池化 …  Keys are the English messages exactly as
the code writes them; every ``{field}`` of a key appears in its translation.
"""

MESSAGES: dict[str, str] = {
    # ---------------------------------------------------------------- shared words
    "input": "输入",
    "bias": "偏置",
    "start": "起点",
    "final": "终点",
    "train": "训练数据",
    "test": "测试数据",
    "accuracy": "识别精度",
    "train accuracy": "训练数据的识别精度",
    "validation accuracy": "验证数据的识别精度",
    "epoch": "epoch",
    "iteration": "迭代次数",
    "training loss": "训练时的损失函数值",
    "mini-batch loss": "mini-batch 的损失函数值",
    "count": "个数",
    "activation": "激活值",
    "probability": "概率",
    "right": "正确",
    "wrong": "错误",
    "WRONG": "错误",
    "image": "图像",
    "filter": "滤波器",
    "stride": "步幅",
    "padding": "填充",
    "learning rate": "学习率",
    "steps": "步数",
    "layer {k}": "第 {k} 层",
    "(input)": "（输入层）",
    "(output)": "（输出层）",
    "none": "无",
    "diverged after {steps} steps": "{steps} 步后发散",
    "{name}: diverged": "{name}：发散",
    "{label}: diverged": "{label}：发散",
    "{name} (diverged)": "{name}（发散）",
    "diverged: {names}": "发散：{names}",
    # ---------------------------------------------------------------- perceptron (notebook 02)
    "always 0": "恒为 0",
    "always 1": "恒为 1",
    "(no line: output is always {y})": "（没有直线：输出恒为 {y}）",
    "{wrong} of 4 inputs wrong": "4 个输入中错 {wrong} 个",
    "two layers: AND(NAND, OR)": "两层：AND(NAND, OR)",
    "XOR as a two-layer perceptron: {formula}": "用两层感知机实现 XOR：{formula}",
    "target": "目标",
    "load:": "载入：",
    "load the book's {name} setting {values}": "载入书中 {name} 的参数 {values}",
    "gate: {name}": "门：{name}",
    "gate: none": "门：无",
    " of AND/NAND/OR/NOR (computes {formula})":
        "，不是 AND/NAND/OR/NOR 中的任何一个（计算的是 {formula}）",
    "No target: pick one to check your setting against it.":
        "没有目标：选择一个目标，检查你的参数是否实现了它。",
    "Match: this setting computes {target}.": "一致：这组参数实现了 {target}。",
    "No match: {wrong} of 4 inputs differ from {target} (ringed in the figure).":
        "不一致：4 个输入中有 {wrong} 个与 {target} 不同（图中画圈的点）。",
    "{report} {note}": "{report}{note}",
    "No setting can match XOR: it needs (1, 0) and (0, 1) on the 1 side and (0, 0) and (1, 1) "
    "on the 0 side of one straight line, and no line does that. The best any setting can do "
    "is 3 of 4.":
        "没有任何参数能实现 XOR：它要求 (1, 0) 和 (0, 1) 在一条直线的 1 侧，(0, 0) 和 (1, 1) "
        "在 0 侧，而没有这样的直线。任何参数最多只能做对 4 个中的 3 个。",
    # ---------------------------------------------------------------- activations (notebook 03)
    "$h(x)=1$ if $x>0$ else $0$": "$x>0$ 时 $h(x)=1$，否则为 $0$",
    "input $x$": "输入 $x$",
    "output $h(x)$": "输出 $h(x)$",
    "output $y$": "输出 $y$",
    "Step vs sigmoid: same shape, but only the sigmoid is smooth":
        "阶跃函数与 sigmoid 函数：形状相似，但只有 sigmoid 函数是平滑的",
    "step: jumps 0 → 1": "阶跃函数：从 0 跳到 1",
    "sigmoid: smooth, in (0, 1)": "sigmoid 函数：平滑，取值在 (0, 1) 内",
    "sigmoid's tangent at 0 (slope 1/4)": "sigmoid 函数在 0 处的切线（斜率 1/4）",
    "hidden activation: {name}": "隐藏层激活函数：{name}",
    ": a straight line": "：一条直线",
    "network input $x$": "网络的输入 $x$",
    "network output $y$": "网络的输出 $y$",
    "One random network ({depth} hidden layers of {width}), {n} activations: only a "
    "non-linear $h$ bends the output":
        "同一个随机网络（{depth} 个隐藏层，每层 {width} 个神经元），{n} 种激活函数："
        "只有非线性的 $h$ 能让输出弯曲",
    "$wx+b=0$\nat $x={x0:.2f}$": "$wx+b=0$\n在 $x={x0:.2f}$ 处",
    "jump: slope\nundefined here": "跳变：此处\n斜率无定义",
    "slope $dy/dx = w\\,h'(wx+b)$; steepest: {steepest:.3g}":
        "斜率 $dy/dx = w\\,h'(wx+b)$；最大斜率：{steepest:.3g}",
    "logit $a_k$": "得分 $a_k$",
    "input scores (logits)": "输入的得分",
    "probability $y_k$": "概率 $y_k$",
    "softmax$(a/T)$, $T$ = {t:.3g}: sum = {total:.3f}":
        "softmax$(a/T)$，$T$ = {t:.3g}：总和 = {total:.3f}",
    "naive exp(a/T) would overflow to inf → nan;\nsubtracting max(a/T) keeps it finite":
        "直接计算 exp(a/T) 会溢出为 inf → nan；\n减去 max(a/T) 后结果保持有限",
    "weight w": "权重 w",
    "bias b": "偏置 b",
    "logit a{i}": "得分 a{i}",
    "temperature T": "温度 T",
    # ---------------------------------------------------------------- digits (notebooks 04, 09)
    "predicted label": "预测的标签",
    "true label": "正确解标签",
    "Confusion matrix: {errors} errors of {total} (accuracy {acc:.4f})":
        "混淆矩阵：{total} 张中错 {errors} 张（识别精度 {acc:.4f}）",
    "number of images (log scale)": "图像张数（对数刻度）",
    "no misclassified images": "没有识别错误的图像",
    "p {p} / t {t}": "预测 {p} / 正确 {t}",
    "test image": "测试图像",
    "class (black outline = true label)": "类别（黑框 = 正确解标签）",
    "predicted {pred} ({p:.1%}), true {true}: {verdict}":
        "预测 {pred}（{p:.1%}），正确解 {true}：{verdict}",
    "misclassified only": "只看识别错误的",
    "<b>No misclassified images</b>: the network gets every one right.":
        "<b>没有识别错误的图像</b>：网络全部识别正确。",
    "mistake {k} of {n}": "第 {k} 个错误，共 {n} 个",
    "of {n}": "共 {n} 张",
    "image #{i} ({where}): predicted {pred}, true {true} ({verdict}). Accuracy on all {n} "
    "images: {acc:.4f} ({errors} errors)":
        "图像 #{i}（{where}）：预测 {pred}，正确解 {true}（{verdict}）。全部 {n} 张图像的识别精度："
        "{acc:.4f}（错 {errors} 张）",
    "test image #{i}": "测试图像 #{i}",
    "test image #{index}, changed": "测试图像 #{index}（变换后）",
    "test image #{index}, label {label}: the network says {predicted} with probability "
    "{p:.1%} and gives the label {p_label:.1%}.":
        "测试图像 #{index}，正确解标签 {label}：网络以 {p:.1%} 的概率预测为 {predicted}，"
        "给正确解标签的概率为 {p_label:.1%}。",
    "shift →": "平移 →",
    "shift ↓": "平移 ↓",
    "rotate °": "旋转 °",
    "scale": "缩放",
    "flip": "翻转",
    "left-right": "左右翻转",
    "upside down": "上下翻转",
    "original": "原图",
    # ---------------------------------------------------------------- gradients (notebook 05)
    "path ({steps} steps)": "路径（{steps} 步）",
    "(|x| or |y| > {limit:.0e})": "（|x| 或 |y| > {limit:.0e}）",
    "converged": "已收敛",
    "not converged yet": "尚未收敛",
    " (outside the window)": "（在画面之外）",
    "{word}: final ({fx:.4g}, {fy:.4g}){where}, f = {f:.4g}":
        "{word}：终点 ({fx:.4g}, {fy:.4g}){where}，f = {f:.4g}",
    "−∇f for f = x0² + x1²": "f = x0² + x1² 的 −∇f",
    "every arrow points downhill, toward the minimum (0, 0)":
        "每个箭头都指向下坡方向，朝着最小值 (0, 0)",
    "one minimum at (0, 0); x ← (1 − 2·lr)·x, so lr > 0.5 overshoots and lr > 1 diverges":
        "唯一的最小值在 (0, 0)；x ← (1 − 2·lr)·x，所以 lr > 0.5 会越过最小值，lr > 1 会发散",
    "(0, 0) is a saddle point: the gradient vanishes there, yet it is no minimum":
        "(0, 0) 是鞍点：梯度在那里为 0，但它不是最小值",
    "global minimum −512 at (−4, 0), local minimum −80 at (2, 0)":
        "全局最小值 −512 在 (−4, 0)，局部最小值 −80 在 (2, 0)",
    "stretched bowl: steep in y, nearly flat in x — plain SGD zig-zags":
        "拉长的碗：y 方向陡峭，x 方向近乎平坦——普通的 SGD 呈之字形移动",
    "start x": "起点 x",
    "start y": "起点 y",
    # ---------------------------------------------------------------- graphs (notebook 06)
    "forward (black) and backward (vermillion): how much the price moves per unit of each input":
        "正向传播（黑色）和反向传播（朱红色）：每个输入变化 1 个单位，支付金额变化多少",
    "forward: values flow left to right": "正向传播：数值从左向右流动",
    "price = {price}: forward values above the arrows, gradients ∂price/∂(·) below":
        "支付金额 = {price}：箭头上方是正向传播的值，下方是梯度 ∂支付金额/∂(·)",
    "apple\nprice": "苹果的\n单价",
    "apple\ncount": "苹果的\n个数",
    "orange\nprice": "橘子的\n单价",
    "orange\ncount": "橘子的\n个数",
    "tax": "消费税",
    "price": "支付金额",
    "apple price": "苹果的单价",
    "apple count": "苹果的个数",
    "orange price": "橘子的单价",
    "orange count": "橘子的个数",
    "add node: the gradient passes through unchanged": "加法节点：梯度原封不动地传给下游",
    "multiply node: the gradient times the OTHER input": "乘法节点：梯度乘以另一个输入",
    "z = (x + y)²: each node multiplies in its local derivative":
        "z = (x + y)²：每个节点乘上自己的局部导数",
    "switch closed, gradient passes": "开关闭合，梯度通过",
    "switch open, gradient 0": "开关断开，梯度为 0",
    "sigmoid, node by node: read the gradients right to left": "逐个节点看 sigmoid：梯度从右向左读",
    " summed over the batch axis": " 沿批的方向求和",
    "Affine: every gradient has the shape of its variable": "Affine：每个梯度的形状与对应变量相同",
    "scores a": "得分 a",
    "labels t": "正确解标签 t",
    "Softmax-with-Loss: the two backward steps collapse to (y − t)/N":
        "Softmax-with-Loss：两步反向传播合起来就是 (y − t)/N",
    "1 (constant)": "1（常数）",
    "the bias is the weight of an input that is always 1": "偏置就是一个恒为 1 的输入的权重",
    # ------------------------------------------------------------ optimizers, init (notebook 07)
    "distance to minimum after {steps} steps: {distance:.3g}":
        "{steps} 步后到最小值的距离：{distance:.3g}",
    "{name}: distance {distance:.3g}": "{name}：距离 {distance:.3g}",
    "lr = {lr:.3g} for every optimizer": "所有优化器的 lr = {lr:.3g}",
    "lr varies": "lr 各不相同",
    "f = x²/20 + y²,  {lr_text},  up to {steps} steps":
        "f = x²/20 + y²，{lr_text}，最多 {steps} 步",
    "tick at least one optimizer": "请至少勾选一个优化器",
    "{act}, weights {std}: activations of {layers} layers × {units} units, {samples} inputs":
        "{act}，权重 {std}：{layers} 层 × {units} 个神经元的激活值，{samples} 个输入",
    "weight std": "权重标准差",
    "final gap train − test = {gap:.2f}": "最终差距 训练 − 测试 = {gap:.2f}",
    "best {n}": "最好的 {n} 次",
    "narrowed range": "缩小后的范围",
    "learning rate (log scale)": "学习率（对数刻度）",
    "weight decay λ (log scale)": "权值衰减系数 λ（对数刻度）",
    "random search: each dot is one short training run": "随机搜索：每个点是一次短时间的训练",
    # ---------------------------------------------------------------- convolution (notebook 08)
    "horizontal edge": "水平边缘",
    "vertical edge": "垂直边缘",
    "blur": "模糊",
    "learned filter {k}": "学习得到的滤波器 {k}",
    " < 1: the filter does not fit": " < 1：滤波器放不下",
    " = {value:.4g}, not whole: nn.Convolution refuses this.\nDropping the last {rows} row(s) "
    "the window cannot reach gives {whole}.":
        " = {value:.4g}，不是整数：nn.Convolution 不接受。\n舍去窗口到达不了的最后 {rows} 行，"
        "得到 {whole}。",
    "The filter slides over the input; each stop gives one output value":
        "滤波器在输入上滑动；每停一处得到一个输出值",
    "the image (28×28)": "图像（28×28）",
    "same pixels, one fixed shuffle": "同样的像素，按固定顺序打乱",
    "flattened row after row,\npixels above each other\nend up 28 places apart;\nan Affine layer "
    "learns the\nshuffled digits just as well":
        "逐行展平后，\n上下相邻的像素\n相隔 28 个位置；\nAffine 层学习打乱的\n数字一样好",
    "what an Affine layer sees: one row of 784 numbers": "Affine 层看到的：一行 784 个数",
    "pixel index": "像素编号",
    "input {h}×{w}, padding {pad}": "输入 {h}×{w}，填充 {pad}",
    "filter {fh}×{fw}": "滤波器 {fh}×{fw}",
    "feature map {oh}×{ow} (stride {stride})": "特征图 {oh}×{ow}（步幅 {stride}）",
    "pixels": "像素",
    "after max pooling": "Max池化后",
    "{name}: original": "{name}：原图",
    "{name}: shifted 1 px right": "{name}：右移 1 像素",
    "|difference| (Σ = {share:.0%} of Σ|original|)": "|差| （Σ = Σ|原图| 的 {share:.0%}）",
    "a convolution layer in blocks: FN filters make FN output maps":
        "用方块表示卷积层：FN 个滤波器得到 FN 个输出特征图",
    "FN filters": "FN 个滤波器",
    "FN maps": "FN 个特征图",
    "a mini-batch of N samples flows through as 4-D arrays":
        "N 个样本的 mini-batch 以 4 维数组流动",
    "convolution\n+ bias": "卷积运算\n+ 偏置",
    "2×2 pooling": "2×2 池化",
    "im2col: a 3-D convolution becomes one matrix product":
        "im2col：3 维的卷积运算变成一次矩阵乘积",
    "col: one row per window": "col：每个窗口一行",
    "filters as columns": "滤波器按列排列",
    "reshape,\ntranspose": "reshape，\ntranspose",
    # ---------------------------------------------------------------- deeper networks (notebook 09)
    "input: a 5×5 patch": "输入：5×5 的区域",
    "after conv 3×3 #1": "第 1 次 3×3 卷积后",
    "after conv 3×3 #2": "第 2 次 3×3 卷积后",
    "dark: what the first-layer unit sees\nlight + dark: what the output unit sees":
        "深色：第 1 层的单元看到的范围\n浅色 + 深色：输出单元看到的范围",
    "Two 3×3 layers: one output value depends on a 5×5 input patch":
        "两个 3×3 层：一个输出值取决于 5×5 的输入区域",
    "weight layer (conv 3×3)": "权重层（3×3 卷积）",
    "shortcut:\nidentity x": "快捷结构：\n恒等映射 x",
    "A residual block: the layers learn F(x), the shortcut adds x":
        "残差块：各层学习 F(x)，快捷结构加上 x",
    # ---------------------------------------------------------------- NumPy primer (notebook 01)
    "a: shape {shape}": "a：形状 {shape}",
    "b: shape {shape}": "b：形状 {shape}",
    "a {op} b: shape {shape}": "a {op} b：形状 {shape}",
    "Broadcasting: pale dashed cells are stretched copies, not stored in memory":
        "广播：浅色虚线格是扩展出来的副本，并不存储在内存中",
}

#: Texts the chapters' own cells draw (notebooks/NN_*.ipynb), by chapter. A ``{field}`` is an
#: f-string's expression, as the cell writes it: it matches any text, which the translation
#: keeps.
FIGURE_TEXTS: dict[str, str] = {
    # 01
    "x (radians)": "x（弧度）",
    "sin and cos on [0, 6)": "[0, 6) 上的 sin 和 cos",
    "first training image, label {t_train[0]}": "第一张训练图像，标签 {t_train[0]}",
    "read back with imread": "用 imread 读回的图像",
    # 02
    "AND, NAND, OR: one straight line separates the 0s from the 1s":
        "AND、NAND、OR：一条直线把 0 和 1 分开",
    "Same weights (0.5, 0.5), larger bias: the line slides, the neuron fires more easily":
        "权重同为 (0.5, 0.5)，偏置更大：直线平移，神经元更容易被激活",
    "Same bias -0.7, different weights: the line turns": "偏置同为 -0.7，权重不同：直线转动",
    "XOR: every straight line gets at least one input wrong; two layers get none":
        "XOR：任何一条直线都至少弄错一个输入；两层感知机一个也不错",
    "OR's line": "OR 的直线",
    "NAND's line": "NAND 的直线",
    "a vertical line": "一条竖直线",
    # 03
    "A 3-layer network: 2 inputs, hidden layers of 3 and 2 neurons, 2 outputs":
        "3 层神经网络：2 个输入，隐藏层分别有 3 个和 2 个神经元，2 个输出",
    # 04
    "label {t}": "标签 {t}",
    "The first 20 MNIST test images": "MNIST 的前 20 张测试图像",
    "Misclassified test images: p = predicted, t = true label, % = confidence":
        "识别错误的测试图像：预测 = 网络的预测，正确 = 正确解标签，% = 置信度",
    # 05
    "image": "图像",
    "answer": "答案",
    "rules written\nby a person": "人想到的\n算法",
    "features chosen by\na person (SIFT, HOG)": "人想到的特征量\n（SIFT、HOG 等）",
    "machine learning\n(e.g. an SVM)": "机器学习\n（SVM 等）",
    "neural network\n(features + decision)": "神经网络\n（特征量 + 判断）",
    "1. a person writes the whole algorithm": "1. 由人编写整个算法",
    "2. a person designs the features, a machine learns the decision":
        "2. 由人设计特征量，由机器学习判断",
    "3. end to end: the network learns everything from the pixels":
        "3. 端到端：神经网络从像素开始学习一切",
    "probability y given to the correct class": "正确解类别的概率 y",
    "cross-entropy  −log y": "交叉熵误差  −log y",
    "the loss falls to 0 as the right answer gets probability 1":
        "正确解的概率趋于 1 时，损失函数值降到 0",
    "accuracy: flat steps, derivative 0 almost everywhere":
        "识别精度：平坦的台阶，导数几乎处处为 0",
    "accuracy on 100 test images": "100 张测试图像上的识别精度",
    "cross-entropy: smooth, its slope shows the way": "交叉熵误差：平滑，斜率指明方向",
    "cross-entropy loss": "交叉熵误差",
    "the weight's original value": "这个权重原来的值",
    "value of the single weight W[406, 5]": "单个权重 W[406, 5] 的值",
    "forward difference": "前向差分",
    "central difference": "中心差分",
    "step h": "微小值 h",
    "|error| of the derivative of x³ at 1": "x³ 在 1 处导数的 |误差|",
    "small h: rounding error; large h: approximation error": "h 太小：舍入误差；h 太大：近似误差",
    "the numerical derivative is the slope of the tangent": "数值微分就是切线的斜率",
    "tangent at x = {x0}: slope {slope:.4f}": "x = {x0} 处的切线：斜率 {slope:.4f}",
    "lr = {lr:g}, 20 steps from (−3, 4)": "lr = {lr:g}，从 (−3, 4) 出发走 20 步",
    "step": "步数",
    "loss on the fixed batch of 10": "固定的 10 个数据上的损失函数值",
    "gradient descent with numerical gradients": "用数值微分求梯度的梯度下降法",
    "each iteration": "每次迭代",
    "average of 50": "50 次的平均",
    "iteration": "迭代次数",
    "loss of the mini-batch": "mini-batch 的损失函数值",
    "the loss falls, noisily: every batch is different":
        "损失函数值在波动中下降：每个 mini-batch 都不同",
    "train": "训练数据",
    "test": "测试数据",
    "accuracy": "识别精度",
    "train and test accuracy rise together": "训练数据和测试数据的识别精度一起上升",
    # 06
    "loss during training with backpropagation": "用误差反向传播法学习时的损失函数值",
    "accuracy per epoch": "每个 epoch 的识别精度",
    # 07
    "MNIST, 5-layer ReLU net: training loss (faint: each mini-batch, bold: moving average)":
        "MNIST，5 层 ReLU 网络：训练时的损失函数值（浅色：每个 mini-batch，粗线：移动平均）",
    "MNIST, 5-layer ReLU net, SGD: the initial weights decide":
        "MNIST，5 层 ReLU 网络，SGD：权重初始值决定结果",
    "training accuracy per epoch on 1000 images, with BN (solid) and without (dashed)":
        "1000 张图像上每个 epoch 的训练识别精度，使用 Batch Norm（实线）和不使用（虚线）",
    "with BN": "使用 Batch Norm",
    "without BN": "不使用 Batch Norm",
    "no regularisation": "不抑制过拟合",
    "weight decay λ = 0.1": "权值衰减 λ = 0.1",
    "Dropout, ratio 0.2": "Dropout，比例 0.2",
    "7-layer net on 300 training images: train vs test accuracy":
        "7 层网络，300 张训练图像：训练数据与测试数据的识别精度",
    # 08
    "iteration (mini-batch of 100)": "迭代次数（mini-batch 为 100）",
    "loss": "损失函数值",
    "training loss": "训练时的损失函数值",
    "train (first 1,000 of the 5,000)": "训练数据（5,000 张中的前 1,000 张）",
    "test (1,000 images)": "测试数据（1,000 张）",
    "accuracy after each epoch": "每个 epoch 后的识别精度",
    "before training: random filters (He, seed 0)": "学习前：随机的滤波器（He 初始值，种子 0）",
    "after training: the shipped simple_convnet": "学习后：随附的 simple_convnet",
    "what training added: after − before": "学习带来的变化：学习后 − 学习前",
    "the 30 feature maps of the first layer for a test digit ({t_test[0]})":
        "第 1 层对一个测试数字（{t_test[0]}）输出的 30 个特征图",
    # 09
    "the first {len(shown)} of {len(wrong)} misclassified test digits (label → prediction)":
        "{len(wrong)} 个识别错误的测试数字中的前 {len(shown)} 个（标签 → 预测）",
    "shift (2, −2)": "平移 (2, −2)",
    "rotate +15°": "旋转 +15°",
    "rotate −15°": "旋转 −15°",
    "crop 24×24": "裁剪 24×24",
    "scale 0.8": "缩放 0.8",
    "brightness 0.5": "亮度 0.5",
    "flip ↔": "翻转 ↔",
    "rotate 180°": "旋转 180°",
    "plain: y = F(x)": "普通：y = F(x)",
    "with shortcut: y = F(x) + x": "带快捷结构：y = F(x) + x",
    "block (1 = next to the input)": "块（1 = 紧挨输入）",
    "gradient norm at the block's input": "块的输入处的梯度范数",
    "Gradient reaching each of 30 blocks": "到达 30 个块中每一个的梯度",
}
