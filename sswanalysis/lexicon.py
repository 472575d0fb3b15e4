"""The words the quantity grammar of :mod:`sswanalysis.quantities` knows, as data.

Measure words and currencies (:data:`UNITS`) and the characters that make a measure word
part of a longer word instead, classifiers, qualifiers before and after a number (Chinese
and English), slogans and fixed expressions that hold numerals but are not figures, the
stop words that end a counted noun or a label, the words that link a label to its figure,
and the head nouns a counted noun ends with. The rules live in :mod:`sswanalysis.quantities`;
a new word goes here. Words are written in simplified characters where the grammar reads
text through :data:`sswanalysis.numerals.T2S`; :data:`UNITS` also lists traditional forms.

>>> UNITS["場次"], UNITS["个百分点"]
('场次', '百分点')
>>> PREFIX_QUALIFIER["不少于"], POST_QUALIFIER["左右"]
('at_least', 'approx')
"""

from __future__ import annotations

#: Measure words and currencies as written -> unit as reported (simplified).
UNITS: dict[str, str] = {
    # people, households, organisations
    "人次": "人次", "人": "人", "名": "名", "位": "位",
    "户次": "户次", "户": "户", "戶": "户", "家": "家",
    # counts of things and events
    "个": "个", "個": "个", "场次": "场次", "場次": "场次", "场": "场", "場": "场",
    "次": "次", "节": "节", "節": "节", "宗": "宗", "件": "件", "份": "份",
    "项": "项", "項": "项", "支": "支", "批次": "批次", "批": "批", "所": "所",
    "座": "座", "处": "处", "處": "处", "间": "间", "間": "间", "套": "套",
    "张": "张", "張": "张", "本": "本", "册": "册", "冊": "册", "条": "条", "條": "条",
    "类": "类", "類": "类", "种": "种", "種": "种", "期": "期", "轮次": "轮次",
    "轮": "轮", "輪": "轮", "组": "组", "組": "组", "笔": "笔", "筆": "笔", "门": "门",
    "門": "门", "篇": "篇", "部": "部", "例": "例", "台": "台", "臺": "台", "辆": "辆",
    "輛": "辆", "床": "床", "栋": "栋", "棟": "栋", "层": "层", "層": "层", "届": "届",
    "屆": "届", "块": "块", "塊": "块", "倍": "倍", "起": "起", "分": "分",
    # money
    "元": "元", "圆": "元", "美元": "美元", "港元": "港元", "港币": "港币", "港幣": "港币",
    # time (年 only as a span: dates are removed before)
    "小时": "小时", "小時": "小时", "分钟": "分钟", "分鐘": "分钟", "课时": "课时",
    "學時": "学时", "学时": "学时", "天": "天", "周年": "周年", "週年": "周年",
    "周岁": "周岁", "週歲": "周岁", "周": "周", "週": "周", "年": "年", "岁": "岁",
    "歲": "岁",
    # measures
    "平方公里": "平方公里", "平方米": "平方米", "公里": "公里", "千米": "千米", "米": "米",
    "亩": "亩", "畝": "亩", "公顷": "公顷", "吨": "吨", "噸": "吨", "公斤": "公斤",
    "千克": "千克",
    # shares
    "个百分点": "百分点", "個百分點": "百分点", "个百分點": "百分点", "百分点": "百分点",
    "百分點": "百分点", "%": "%", "％": "%", "‰": "‰",
}

#: Characters that, right after a measure word, make it part of another word instead
#: (``3年级``, ``一次性``, ``支持``, ``元旦``, ``期间``, ``5位数``); simplified, like the
#: text the grammar reads.
UNIT_NOT_BEFORE: dict[str, str] = {
    "人": "员口群才民性", "名": "单称义额誉", "位": "置于数", "户": "籍口外型", "家": "庭属长人园",
    "个": "体性", "场": "所地景馆合域館", "次": "性要数", "节": "点日约能气庆氣慶", "宗": "教旨族",
    "件": "事", "份": "额子量", "项": "目", "支": "持出付援部撑队", "批": "准复示评判",
    "所": "有属以在谓长", "座": "谈談", "处": "理置室长级于在", "间": "隔断接斷",
    "本": "地土身届级科市县区", "条": "件例", "类": "似型别", "种": "植子类", "期": "间限待望末中",
    "组": "织成建", "笔": "记者", "门": "户口诊檻槛式前店", "部": "门分", "例": "如外", "台": "账阶賬",
    "层": "级面次", "元": "旦素宵化", "天": "然空地下", "周": "边围到末一二三四五六日邊圍",
    "年": "级度龄代轻华会", "米": "粮", "起": "草诉步点来源", "分": "之别析类配工布期批散享管担支会局",
}

#: Units after which a noun may follow (classifiers), as opposed to 元, %, 小时 ...
CLASSIFIERS = frozenset(
    "名 位 户 家 个 场次 场 次 节 宗 件 份 项 支 批次 批 所 座 处 间 套 张 本 册 条 类 种 "
    "期 轮次 轮 组 笔 门 篇 部 例 台 辆 床 栋 层 届 块 起".split()
)

#: Nouns that may follow an Arabic number directly, without a measure word (``300家庭``).
BARE_NOUNS: tuple[str, ...] = (
    "家庭", "人口", "人员", "群众", "居民", "老人", "儿童", "学生", "部门", "项目",
    "场所", "社区", "村", "乡镇", "街道", "志愿者", "社工", "对象",
)

#: Fixed expressions that contain numerals but are not figures (plan periods, slogans,
#: idioms). 一批 means "a number of", an unstated count, not one batch. ``一X一Y``
#: patterns (一人一档, 一县一中心) are recognised separately.
SLOGANS: tuple[str, ...] = (
    "十一五", "十二五", "十三五", "十四五", "十五五", "五年规划", "五年計劃", "五年计划",
    "三年行动", "两个维护", "兩個維護", "两个确立", "四个意识", "四个自信", "四个全面",
    "三个代表", "两个一百年", "两个率先", "五位一体", "四位一体", "三位一体", "三次分配",
    "两不愁三保障", "三保障", "一条龙", "一张网", "一张蓝图", "一网通办", "一揽子",
    "一家人", "千家万户", "成千上万", "千方百计", "万众一心", "万家灯火", "二十四节气",
    "五社联动", "三社联动", "一核两社", "两学一做", "三会一课", "一把手", "一盘棋",
    "一系列", "一部分", "一批", "一方面", "一体化", "一起", "三大攻坚战", "一件事一次办", "一次办好",
    "百名社工", "千名社工", "万名社工", "一对一", "一站式",
)

PREFIX_QUALIFIER: dict[str, str] = {
    "超过": "at_least", "超出": "at_least", "超": "at_least", "逾": "at_least",
    "不少于": "at_least", "不低于": "at_least", "不下于": "at_least", "多于": "at_least",
    "上": "at_least", "至少": "at_least", "最少": "at_least", "突破": "at_least",
    "至多": "at_most", "最多": "at_most",
    "将近": "at_most", "接近": "at_most", "近": "at_most", "不足": "at_most",
    "不到": "at_most", "不超过": "at_most", "少于": "at_most", "低于": "at_most",
    "大约": "approx", "约有": "approx", "约计": "approx", "约合": "approx", "约": "approx",
}
MID_QUALIFIER = {"余": "at_least", "多": "at_least"}
POST_QUALIFIER = {
    "以上": "at_least", "以下": "at_most", "以内": "at_most",
    "左右": "approx", "上下": "approx",
}

EN_PREFIX: dict[str, str] = (
    dict.fromkeys("over|more than|above|at least|exceed|exceeds|exceeded|exceeding".split("|"), "at_least")
    | dict.fromkeys("nearly|almost|close to|under|less than|fewer than|up to".split("|"), "at_most")
    | dict.fromkeys(("about", "around", "approximately", "roughly"), "approx")
)
EN_UNITS = {"percent": "%", "per cent": "%", "%": "%", "percentage point": "百分点", "yuan": "元"}
#: Words after which an English number word is not a count ("one of", "two or three").
EN_NOT_BEFORE = "of|or|and|to|by|in|on|at|the|a|an|is|are|was|were|more|less|times"
#: Words that end the counted noun after an English figure.
EN_STOPS = (EN_NOT_BEFORE + "|have|has|had|for|with|from|nationwide|according|as|that|which"
            "|who|across|per|each|since|this|these|its|their|were")

#: Function words and verbs that end a counted noun (``295名重点服务对象开展服务``) and
#: the label before a figure (``投入资金1.25亿元`` gives 资金).
STOP_WORDS = (
    "的", "和", "与", "及", "或", "等", "均", "已", "都", "也", "共", "将", "在", "为", "是",
    "被", "把", "从", "给", "让", "并", "且", "了", "开展", "参与", "參与", "参加", "參加",
    "进行", "提供", "实现", "完成", "建立", "建成", "覆盖", "受益", "获得", "接受", "纳入",
    "签约", "落实", "入驻", "进驻", "配备", "投入", "达到", "累计", "启动", "挂牌", "运营",
    "成立", "开通", "得到", "参训", "參训", "通过", "以上", "以下", "左右", "合计", "共计",
    "总计",
)
#: Words that link a label to its figure (``覆盖率达100%``): the label stands before them.
LINKS = frozenset({"达", "达到", "为", "计", "共计", "合计", "总计", "有", "共", "是", "至", "到"})
#: Units of time spans: ``近3年`` is "the last three years" (exact), ``1年多`` at least one.
TIME_UNITS = frozenset({"年", "天", "周", "小时"})
#: Words a counted noun typically ends with: the noun is cut after the last one of them,
#: so that ``10个社工站服务总人数`` gives 社工站 (no head found: the run is kept whole).
NOUN_HEADS = (
    "站", "室", "所", "院", "中心", "基地", "品牌", "队伍", "队", "组织", "机构", "社区",
    "村", "县", "镇", "乡镇", "街道", "区", "市", "省", "对象", "家庭", "人员", "儿童",
    "老人", "群众", "居民", "学生", "项目", "企业", "平台", "社工", "志愿者", "阵地",
    "小组", "活动", "课程", "档案", "岗位", "窗口", "阶段", "部门", "点", "协议", "物资",
    "资金", "制度", "机制", "案例", "个案", "问卷", "手册", "书", "场所", "空间", "团队",
)
