// Entry point: mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import './global.css';

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
