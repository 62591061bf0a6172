import Commands

VirthostMain.main()
