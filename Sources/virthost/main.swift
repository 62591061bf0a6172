import Commands

VirthostCommand.main()
