/**
 * Passwords of 12 or more characters that top the public breach corpora (shorter ones fail the length rule
 * anyway). Compared case-insensitively, and together with the pattern checks in password.ts.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '1234567891011', '111111111111',
  '000000000000', '123123123123', '121212121212', '987654321098', '147258369147', '123456123456',
  'password1234', 'password12345', 'password123456', 'passwordpassword', 'password1234567', 'password!123',
  'password@123', 'password123!', 'mypassword123', 'password2024', 'password2025', 'password2026',
  'qwertyuiop12', 'qwertyuiopasdfgh', 'qwertyuiopas', 'qwerty123456', 'qwertyqwerty', '1qaz2wsx3edc',
  '1q2w3e4r5t6y', 'q1w2e3r4t5y6', 'zaq12wsxcde3', 'asdfghjkl123', 'asdfasdfasdf', 'zxcvbnm12345',
  'iloveyou1234', 'iloveyouiloveyou', 'letmein12345', 'welcome12345', 'welcome123456', 'welcome@1234',
  'changeme1234', 'changeme12345', 'administrator', 'administrator1', 'admin1234567', 'adminadmin123',
  'abc123456789', 'abcdefghijkl', 'abcdef123456', 'abcd12345678', 'monkey123456', 'dragon123456',
  'football1234', 'baseball1234', 'basketball12', 'sunshine1234', 'princess1234', 'superman1234',
  'starwars1234', 'trustno1trustno1', 'whatever1234', 'michael12345', 'jennifer1234', 'computer1234',
  'internet1234', 'corvette1234', 'mustang12345', 'liverpool123', 'chelsea12345', 'arsenal12345',
  'manchester12', 'blink1821234', 'pokemon12345', 'minecraft123', 'minecraft1234', 'fortnite1234',
  'summer123456', 'winter123456', 'spring123456', 'autumn123456', 'january12345', 'december1234',
  'passw0rd1234', 'p@ssw0rd1234', 'p@ssword1234', 'pa$$word1234', 'secret123456', 'master123456',
  'letmeinletmein', 'opensesame123', 'helloworld123', 'hello1234567', 'goodluck1234', 'loveyou12345',
  'thequickbrownfox', 'correcthorsebatterystaple', 'ihateyou1234', 'qazwsxedcrfv', 'qazwsxedc123',
  '1234qwerasdf', 'qwer1234asdf', 'asdf1234qwer', 'aa1234567890', 'a123456789012', 'password0000',
]);
