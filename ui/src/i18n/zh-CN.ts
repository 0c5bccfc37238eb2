// Simplified Chinese, the default language. Plain words: many readers are not lawyers.
export const zhCN = {
  "app.name": "在线诉讼助手",
  "app.title": "在线诉讼助手 Litigant",
  "app.skipToMain": "跳到主要内容",
  "app.loading": "正在打开…",
  "app.startFailed": "在线诉讼助手无法启动：{message}",

  "nav.label": "主要导航",
  "nav.home": "首页",
  "nav.settings": "设置",
  "nav.about": "关于",

  "toolbar.label": "显示",
  "toolbar.language": "English",
  "toolbar.languageHint": "切换为英文界面",
  "toolbar.elder": "大字模式",
  "toolbar.contrast": "高对比度",

  "court.demo": "演示法院",
  "court.demoNote": "演示法院不是真实法院，在这里提交的内容不产生法律效力。",
  "court.none": "未连接法院",
  "court.remote": "诉讼平台：{url}",
  "court.reason.demoCourtNotBuiltIn": "此版本尚未包含演示法院，因此目前没有连接任何法院。",
  "court.reason.platformClientNotBuiltIn":
    "已设置诉讼平台地址 {url}，但此版本尚不能连接诉讼平台。",
  "court.changeInSettings": "在“设置”中更改诉讼平台",

  "welcome.heading": "欢迎使用在线诉讼助手",
  "welcome.intro":
    "依照《人民法院在线诉讼规则》，您可以在网上立案、提交证据、参加庭审、接收文书。先回答两个问题。",
  "welcome.step": "第 {n} 步，共 {total} 步",
  "welcome.useHeading": "谁在使用这台电脑？",
  "welcome.next": "下一步",
  "welcome.chooseFirst": "请先选择一项，再按“下一步”。",
  "welcome.back": "上一步",
  "welcome.courtHeading": "连接哪个法院？",
  "welcome.start": "开始使用",

  "use.personal": "我本人参加诉讼",
  "use.personal.hint": "当事人在自己的电脑上使用。",
  "use.lawyer": "律师或诉讼代理人",
  "use.lawyer.hint": "管理多个案件和多个委托人账户。",
  "use.kiosk": "法院自助服务终端",
  "use.kiosk.hint": "在法院为他人提供帮助；使用结束后不留下任何个人信息。",

  "platform.demo": "演示法院（在本机运行，用于练习和测试）",
  "platform.remote": "诉讼平台地址",
  "platform.urlLabel": "平台地址（以 https:// 开头）",
  "platform.urlHint": "由法院提供，例如 https://court.example.cn",
  "platform.save": "保存平台",
  "platform.saved": "诉讼平台已保存。",

  "home.heading": "首页",
  "home.courtHeading": "法院连接",
  "home.displayHeading": "显示",
  "home.displayHint": "看不清？打开大字模式或高对比度，随时可以在页面顶部切换。",

  "settings.heading": "设置",
  "settings.language": "界面语言",
  "settings.display": "显示",
  "settings.elder": "大字模式（大号文字、大按钮、每页一件事）",
  "settings.contrast": "高对比度（黑白配色，对比度不低于 7:1）",
  "settings.use": "使用方式",
  "settings.platform": "诉讼平台",
  "settings.dataFolder": "数据文件夹",
  "settings.dataFolderHint": "您的设置和案件资料保存在这里，只有您的系统账户可以打开。",
  "settings.saved": "设置已保存。",

  "about.heading": "关于",
  "about.text":
    "在线诉讼助手帮助当事人、律师和法院自助终端按照《人民法院在线诉讼规则》（2021 年）参加在线诉讼。",
  "about.version": "版本",
  "about.os": "操作系统",
  "about.dataFolder": "数据文件夹",
  "about.license": "许可证",

  "notice.keptDamagedSettings":
    "设置文件已损坏，已改用默认设置。原文件保存在 {path}，没有被删除。",

  "error.heading": "出现问题",
  "error.settings.data_folder": "无法使用数据文件夹 {path}（{cause}）。请检查该文件夹是否存在且可写。",
  "error.settings.read": "无法读取设置文件 {path}（{cause}）。",
  "error.settings.write": "无法保存设置到 {path}（{cause}）。请检查磁盘空间和文件夹权限。",
  "error.settings.platform_url_invalid": "“{input}”不是有效的网址（{cause}）。请按 https://court.example.cn 的格式输入。",
  "error.settings.platform_url_insecure":
    "平台地址 {url} 必须以 https:// 开头。只有本机地址（127.0.0.1、::1、localhost）可以使用 http://。",
  "error.settings.platform_url_credentials": "平台地址 {url} 中不能包含用户名或密码。",
  "error.app.state_poisoned": "程序内部出错，请重新启动。上一步操作没有保存任何内容。",
  "error.app.ipc": "程序内部通信失败：{message}",
} as const;
