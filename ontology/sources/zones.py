"""Special zones and named regions, as data: the source of ``ontology/gazetteer/zones.tsv``.

Sources (official lists; works of state organs, Copyright Law of the PRC art. 5):

- national new areas (国家级新区, 19): the State Council approvals 1992–2017, as listed by
  国家发展改革委《国家级新区发展报告》, https://www.ndrc.gov.cn/ ;
- pilot free trade zones (自由贸易试验区, 22) and the Hainan free trade port: the State Council
  overall plans 国发〔2013〕38号 … 国发〔2023〕17号, https://www.gov.cn/zhengce/ ;
- named regions of the national regional strategies: 中华人民共和国国民经济和社会发展第十四个五年规划和
  2035年远景目标纲要 (2021-03-13), part 9, https://www.gov.cn/xinwen/2021-03/13/content_5592681.htm .

Row: ``id | full name | English name | short forms | parent place code (GB/T 2260) | kind | year``.
"""

SOURCE = {
    "name": "国家级新区 (State Council approvals); 自由贸易试验区总体方案 (State Council); 十四五规划纲要 regional strategies",
    "url": "https://www.gov.cn/zhengce/",
    "date": "2023-10-31",
    "licence": "official works of state organs, not protected (Copyright Law of the PRC, art. 5)",
}

ROWS = """
pudong-new-area | 上海浦东新区 | Shanghai Pudong New Area | 浦东新区;浦东 | 310000 | new_area | 1992
binhai-new-area | 天津滨海新区 | Tianjin Binhai New Area | 滨海新区 | 120000 | new_area | 2006
liangjiang-new-area | 重庆两江新区 | Chongqing Liangjiang New Area | 两江新区 | 500000 | new_area | 2010
zhoushan-archipelago-new-area | 浙江舟山群岛新区 | Zhejiang Zhoushan Archipelago New Area | 舟山群岛新区 | 330900 | new_area | 2011
lanzhou-new-area | 甘肃兰州新区 | Gansu Lanzhou New Area | 兰州新区 | 620100 | new_area | 2012
nansha-new-area | 广州南沙新区 | Guangzhou Nansha New Area | 南沙新区 | 440100 | new_area | 2012
xixian-new-area | 陕西西咸新区 | Shaanxi Xixian New Area | 西咸新区 | 610000 | new_area | 2014
guian-new-area | 贵州贵安新区 | Guizhou Gui'an New Area | 贵安新区 | 520000 | new_area | 2014
west-coast-new-area | 青岛西海岸新区 | Qingdao West Coast New Area | 西海岸新区 | 370200 | new_area | 2014
jinpu-new-area | 大连金普新区 | Dalian Jinpu New Area | 金普新区 | 210200 | new_area | 2014
tianfu-new-area | 四川天府新区 | Sichuan Tianfu New Area | 天府新区 | 510000 | new_area | 2014
xiangjiang-new-area | 湖南湘江新区 | Hunan Xiangjiang New Area | 湘江新区 | 430100 | new_area | 2015
jiangbei-new-area | 南京江北新区 | Nanjing Jiangbei New Area | 江北新区 | 320100 | new_area | 2015
fuzhou-new-area | 福州新区 | Fuzhou New Area |  | 350100 | new_area | 2015
dianzhong-new-area | 云南滇中新区 | Yunnan Dianzhong New Area | 滇中新区 | 530000 | new_area | 2015
harbin-new-area | 哈尔滨新区 | Harbin New Area |  | 230100 | new_area | 2015
changchun-new-area | 长春新区 | Changchun New Area |  | 220100 | new_area | 2016
ganjiang-new-area | 江西赣江新区 | Jiangxi Ganjiang New Area | 赣江新区 | 360000 | new_area | 2016
xiongan | 河北雄安新区 | Xiong'an New Area | 雄安新区;雄安;Xiongan | 130000 | new_area | 2017
shanghai-ftz | 中国（上海）自由贸易试验区 | China (Shanghai) Pilot Free Trade Zone | 上海自由贸易试验区;上海自贸试验区;上海自贸区 | 310000 | ftz | 2013
guangdong-ftz | 中国（广东）自由贸易试验区 | China (Guangdong) Pilot Free Trade Zone | 广东自由贸易试验区;广东自贸试验区;广东自贸区 | 440000 | ftz | 2015
tianjin-ftz | 中国（天津）自由贸易试验区 | China (Tianjin) Pilot Free Trade Zone | 天津自由贸易试验区;天津自贸试验区;天津自贸区 | 120000 | ftz | 2015
fujian-ftz | 中国（福建）自由贸易试验区 | China (Fujian) Pilot Free Trade Zone | 福建自由贸易试验区;福建自贸试验区;福建自贸区 | 350000 | ftz | 2015
liaoning-ftz | 中国（辽宁）自由贸易试验区 | China (Liaoning) Pilot Free Trade Zone | 辽宁自由贸易试验区;辽宁自贸试验区;辽宁自贸区 | 210000 | ftz | 2017
zhejiang-ftz | 中国（浙江）自由贸易试验区 | China (Zhejiang) Pilot Free Trade Zone | 浙江自由贸易试验区;浙江自贸试验区;浙江自贸区 | 330000 | ftz | 2017
henan-ftz | 中国（河南）自由贸易试验区 | China (Henan) Pilot Free Trade Zone | 河南自由贸易试验区;河南自贸试验区;河南自贸区 | 410000 | ftz | 2017
hubei-ftz | 中国（湖北）自由贸易试验区 | China (Hubei) Pilot Free Trade Zone | 湖北自由贸易试验区;湖北自贸试验区;湖北自贸区 | 420000 | ftz | 2017
chongqing-ftz | 中国（重庆）自由贸易试验区 | China (Chongqing) Pilot Free Trade Zone | 重庆自由贸易试验区;重庆自贸试验区;重庆自贸区 | 500000 | ftz | 2017
sichuan-ftz | 中国（四川）自由贸易试验区 | China (Sichuan) Pilot Free Trade Zone | 四川自由贸易试验区;四川自贸试验区;四川自贸区 | 510000 | ftz | 2017
shaanxi-ftz | 中国（陕西）自由贸易试验区 | China (Shaanxi) Pilot Free Trade Zone | 陕西自由贸易试验区;陕西自贸试验区;陕西自贸区 | 610000 | ftz | 2017
hainan-ftz | 中国（海南）自由贸易试验区 | China (Hainan) Pilot Free Trade Zone | 海南自由贸易试验区;海南自贸试验区;海南自贸区 | 460000 | ftz | 2018
hainan-free-trade-port | 海南自由贸易港 | Hainan Free Trade Port | 海南自贸港 | 460000 | ftz | 2020
shandong-ftz | 中国（山东）自由贸易试验区 | China (Shandong) Pilot Free Trade Zone | 山东自由贸易试验区;山东自贸试验区;山东自贸区 | 370000 | ftz | 2019
jiangsu-ftz | 中国（江苏）自由贸易试验区 | China (Jiangsu) Pilot Free Trade Zone | 江苏自由贸易试验区;江苏自贸试验区;江苏自贸区 | 320000 | ftz | 2019
guangxi-ftz | 中国（广西）自由贸易试验区 | China (Guangxi) Pilot Free Trade Zone | 广西自由贸易试验区;广西自贸试验区;广西自贸区 | 450000 | ftz | 2019
hebei-ftz | 中国（河北）自由贸易试验区 | China (Hebei) Pilot Free Trade Zone | 河北自由贸易试验区;河北自贸试验区;河北自贸区 | 130000 | ftz | 2019
yunnan-ftz | 中国（云南）自由贸易试验区 | China (Yunnan) Pilot Free Trade Zone | 云南自由贸易试验区;云南自贸试验区;云南自贸区 | 530000 | ftz | 2019
heilongjiang-ftz | 中国（黑龙江）自由贸易试验区 | China (Heilongjiang) Pilot Free Trade Zone | 黑龙江自由贸易试验区;黑龙江自贸试验区;黑龙江自贸区 | 230000 | ftz | 2019
beijing-ftz | 中国（北京）自由贸易试验区 | China (Beijing) Pilot Free Trade Zone | 北京自由贸易试验区;北京自贸试验区;北京自贸区 | 110000 | ftz | 2020
hunan-ftz | 中国（湖南）自由贸易试验区 | China (Hunan) Pilot Free Trade Zone | 湖南自由贸易试验区;湖南自贸试验区;湖南自贸区 | 430000 | ftz | 2020
anhui-ftz | 中国（安徽）自由贸易试验区 | China (Anhui) Pilot Free Trade Zone | 安徽自由贸易试验区;安徽自贸试验区;安徽自贸区 | 340000 | ftz | 2020
xinjiang-ftz | 中国（新疆）自由贸易试验区 | China (Xinjiang) Pilot Free Trade Zone | 新疆自由贸易试验区;新疆自贸试验区;新疆自贸区 | 650000 | ftz | 2023
jing-jin-ji | 京津冀 | Beijing–Tianjin–Hebei | Jing-Jin-Ji;京津冀地区 |  | region |
yangtze-river-delta | 长江三角洲 | Yangtze River Delta | 长三角;长三角地区;长江三角洲地区 |  | region |
greater-bay-area | 粤港澳大湾区 | Guangdong–Hong Kong–Macao Greater Bay Area | 大湾区;Greater Bay Area |  | region |
pearl-river-delta | 珠江三角洲 | Pearl River Delta | 珠三角;珠三角地区 |  | region |
chengdu-chongqing | 成渝地区双城经济圈 | Chengdu–Chongqing Economic Circle | 成渝地区;成渝 |  | region |
yangtze-river-economic-belt | 长江经济带 | Yangtze River Economic Belt |  |  | region |
yellow-river-basin | 黄河流域 | Yellow River Basin |  |  | region |
northeast-china | 东北地区 | Northeast China |  |  | region |
western-china | 西部地区 | Western China |  |  | region |
central-china | 中部地区 | Central China |  |  | region |
eastern-china | 东部地区 | Eastern China |  |  | region |
"""


def rows(text: str = ROWS) -> list[list[str]]:
    out = []
    for line in text.strip().splitlines():
        fields = [f.strip() for f in line.split("|")]
        fields += [""] * (7 - len(fields))
        out.append(fields)
    return out
